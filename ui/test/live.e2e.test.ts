// The must-show, in headless Chromium against the real edge (NATS, Postgres, projectors, /ws), the console
// served by the edge itself under /console/: an admin registers a kiosk in the console; an operator pairs it by
// pointing the (fake) camera at its code; the kiosk posts a payment over HTTP with its device token, and it shows
// on the operator's and the admin's dashboards without a reload (the /ws live feed); another operator sees none of it.
import { randomUUID } from "node:crypto"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { type Session, startEdgeSystem, type EdgeSystem } from "../../test/support/edge.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { buildConsole } from "./support/console.ts"
import { writeQrVideo } from "./support/fakeCamera.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

let workDir: string
let system: EdgeSystem
let origin: string
let browser: Browser
let cameraBrowser: Browser | undefined
const users = { admin: "", operator: "", rival: "" }
let adminSession: Session

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "live-e2e-"))
  await mkdir(artifacts, { recursive: true })
  await buildConsole()
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  origin = `http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`
  adminSession = await system.userWithRole("admin")
  users.admin = adminSession.user.username
  users.operator = (await system.userWithRole("operator")).user.username
  users.rival = (await system.userWithRole("operator")).user.username
  browser = await launchChromium()
})

afterAll(async () => {
  await cameraBrowser?.close()
  await browser?.close()
  await system?.close()
  await rm(workDir, { recursive: true, force: true })
})

/** A signed-in page in its own context; page errors and CSP violations are collected, as the console must have none. */
async function signedIn(on: Browser, username: string, path: string, problems: string[]): Promise<Page> {
  const context = await on.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", permissions: ["camera"] })
  const page = await context.newPage()
  page.on("pageerror", (error) => problems.push(`${username}: ${error.message}`))
  page.on("console", (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`${username}: ${message.text()}`) })
  await signIn(page, origin, username, path)
  return page
}

/** The dashboard, once its feed has loaded and its socket is live: from then on only /ws can add a payment. */
async function liveDashboard(page: Page): Promise<void> {
  await page.goto(`${origin}/console/`)
  await page.getByRole("heading", { name: "Live payments" }).waitFor()
  await page.getByText("Payments appear here as they arrive.").waitFor()
  await page.getByRole("status", { name: "Live updates: Live" }).waitFor({ timeout: 15_000 })
  // Marks this document: still there after the payment shows = no reload happened.
  await page.evaluate(() => { (window as unknown as { loadedOnce: boolean }).loadedOnce = true })
}

it("a kiosk registered and paired in the console posts a payment; it reaches the dashboards live; another operator sees nothing", async () => {
  const problems: string[] = []
  const sockets: string[] = []

  // The admin registers the kiosk in the console and reads its one-time device token.
  const adminPage = await signedIn(browser, users.admin, "/kiosks/new", problems)
  await adminPage.getByLabel("Name", { exact: true }).fill("Station kiosk")
  await adminPage.getByLabel("Location").fill("Platform 2")
  await adminPage.getByRole("button", { name: "Register" }).click()
  const registered = adminPage.getByText(/Kiosk Station kiosk registered with code [A-Z0-9-]+\./)
  await registered.waitFor()
  const code = /with code ([A-Z0-9-]+)\./.exec(await registered.innerText())![1]!
  const deviceToken = await adminPage.getByLabel("Device token").inputValue()
  await adminPage.getByRole("link", { name: "Open the kiosk" }).click()
  await adminPage.getByRole("heading", { name: "Kiosk Station kiosk" }).waitFor()
  const kioskId = decodeURIComponent(new URL(adminPage.url()).pathname.split("/").pop()!)

  // The operator points the camera at the kiosk's label: its one-use pairing code (kiosk code and secret).
  const video = join(workDir, "label.y4m")
  await writeQrVideo(video, await system.pairingCode(adminSession, kioskId))
  cameraBrowser = await launchChromium(video)
  const operatorPage = await signedIn(cameraBrowser, users.operator, "/pair", problems)
  operatorPage.on("websocket", (ws) => sockets.push(ws.url()))
  await operatorPage.getByRole("button", { name: "Scan with the camera" }).click()
  await operatorPage.getByText(`Found code ${code}.`).waitFor({ timeout: 15_000 })
  await operatorPage.getByText("Kiosk Station kiosk is now yours.").waitFor()
  await operatorPage.screenshot({ path: join(artifacts, "live-scanner-paired.png"), fullPage: true })

  // Three dashboards open and live before the payment exists.
  const rivalPage = await signedIn(browser, users.rival, "/", problems)
  await Promise.all([liveDashboard(operatorPage), liveDashboard(adminPage), liveDashboard(rivalPage)])

  // The kiosk pays over HTTP with its device token, as the device does.
  const posted = Date.now()
  const response = await fetch(`${origin}/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${deviceToken}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({ kiosk_id: kioskId, amount: 1234, currency: "EUR" }),
  })
  expect(response.status, await response.clone().text()).toBe(201)

  for (const page of [operatorPage, adminPage]) {
    await page.getByTestId("live-feed").getByText("€12.34").waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true)
  }
  const shownMs = Date.now() - posted
  // Today's total follows (re-read after the burst, at least as new as the event).
  await operatorPage.getByTestId("today-sales").getByText("€12.34").waitFor({ timeout: 10_000 })
  await operatorPage.screenshot({ path: join(artifacts, "live-dashboard-operator.png"), fullPage: true })
  await adminPage.screenshot({ path: join(artifacts, "live-dashboard-admin.png"), fullPage: true })

  // The other operator: nothing arrived, and their kiosk list is empty.
  await rivalPage.waitForTimeout(1_000)
  expect(await rivalPage.getByText("€12.34").count()).toBe(0)
  await rivalPage.getByText("Payments appear here as they arrive.").waitFor()
  await rivalPage.getByRole("link", { name: "Kiosks", exact: true }).click()
  await rivalPage.getByText("No kiosks match.").waitFor()
  expect(await rivalPage.getByText("Station kiosk").count()).toBe(0)

  // The feed names the kiosk (never its raw id); the operator opens it from there: its page, with the payment.
  expect(await operatorPage.getByTestId("live-feed").getByText(kioskId).count()).toBe(0)
  await operatorPage.getByTestId("live-feed").getByRole("link", { name: "Station kiosk" }).click()
  await operatorPage.getByRole("heading", { name: "Kiosk Station kiosk" }).waitFor()
  await operatorPage.getByRole("row").filter({ hasText: "€12.34" }).first().waitFor()
  // Labels are the admin's to print: an operator is not offered one (nor refused one).
  expect(await operatorPage.getByRole("heading", { name: "QR label" }).count()).toBe(0)
  expect(await operatorPage.getByText("You are not allowed to do that.").count()).toBe(0)
  await operatorPage.screenshot({ path: join(artifacts, "live-kiosk-page.png"), fullPage: true })

  expect([...new Set(sockets)]).toEqual([`${origin.replace("http", "ws")}/ws`])
  expect(problems).toEqual([])
  console.info(`payment posted → shown on two dashboards in ${shownMs} ms`)
})
