// The kiosk app in headless Chromium, served by the real edge under /kiosk/ (NATS, Postgres): first run with a
// pasted device token and the pairing label; sales taken with the browser offline (context.setOffline), a reload
// in between answered by the service worker, all delivered once back online, each once in the PAYMENTS stream;
// then a rotated credential, shown as a QR in the console and scanned by the kiosk's (fake) camera, picked up with
// sales waiting. Screenshots in test-artifacts/.
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStore, type EventStoreShape } from "../../src/commands/index.ts"
import { startEdgeSystem, type EdgeSystem, type Session } from "../../test/support/edge.ts"
import { paymentsInStream } from "../../test/support/paymentsInStream.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { buildConsole, buildKioskApp } from "./support/console.ts"
import { writeQrVideo } from "./support/fakeCamera.ts"
import { qrTextIn } from "./support/qrImage.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

let workDir: string
let system: EdgeSystem
let store: EventStoreShape
let admin: Session
let origin: string
let kiosk: { id: string; code: string }
let deviceToken: string
let kioskContext: BrowserContext
let page: Page
let consoleBrowser: Browser | undefined
const problems: Array<string> = []

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"]

/** The kiosk as a device: a persistent profile (IndexedDB, service worker, cache survive a restart of the browser). */
async function openKiosk(camera?: string): Promise<void> {
  kioskContext = await chromium.launchPersistentContext(join(workDir, "profile"), {
    executablePath: "/usr/bin/chromium",
    args: [...FLAGS, ...(camera ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${camera}`] : [])],
    viewport: { width: 900, height: 1000 },
    locale: "en-GB",
    ...(camera ? { permissions: ["camera"] } : {}),
  })
  page = kioskContext.pages()[0] ?? await kioskContext.newPage()
  page.on("pageerror", (error) => problems.push(error.message))
  page.on("console", (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text()) })
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "kiosk-e2e-"))
  await mkdir(artifacts, { recursive: true })
  await buildKioskApp()
  await buildConsole()
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  origin = `http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`
  store = await system.app.run(EventStore)
  admin = await system.userWithRole("admin")
  ;({ kiosk, deviceToken } = await system.registerKiosk(admin, "Lobby kiosk"))
  await openKiosk()
})

afterAll(async () => {
  await kioskContext?.close()
  await consoleBrowser?.close()
  await system?.close()
  await rm(workDir, { recursive: true, force: true })
})

const shot = (name: string) => page.screenshot({ path: join(artifacts, `kiosk-${name}.png`), fullPage: true })
const statusBar = () => page.getByRole("status", { name: "Kiosk status" })
const amountsInStream = async () =>
  (await paymentsInStream(store)).filter((p) => p.kioskId === kiosk.id).map((p) => p.amount)

async function sell(digits: string, shown: string) {
  for (const digit of digits) await page.getByRole("group", { name: "Amount keypad" }).getByRole("button", { name: digit, exact: true }).click()
  await expect.poll(() => page.getByLabel("Amount", { exact: true }).innerText()).toBe(shown)
  await page.getByRole("button", { name: `Charge ${shown}` }).click()
  await page.getByRole("heading", { name: "Payment taken" }).waitFor()
}

const newSale = () => page.getByRole("button", { name: "New sale" }).click()

describe("the kiosk app", () => {
  it("first run: takes the pasted device token, shows the pairing label, and sells online", async () => {
    await page.goto(`${origin}/kiosk/`)
    await page.getByRole("heading", { name: "Set up this kiosk" }).waitFor()
    await page.getByLabel("Device token").fill(deviceToken)
    await page.getByRole("button", { name: "Use this token" }).click()

    await page.getByRole("heading", { name: "Pair this kiosk" }).waitFor()
    const label = page.getByRole("img", { name: "This kiosk's pairing QR label" })
    await label.waitFor()
    expect(await qrTextIn(await label.screenshot())).toBe(await system.pairingCode(admin, kiosk.id))
    await shot("1-pairing-label")

    await page.getByRole("button", { name: "Start selling" }).click()
    await sell("1250", "€12.50")
    await expect.poll(() => page.locator("[data-fate]").getAttribute("data-fate"), { timeout: 15_000 }).toBe("delivered")
    await expect.poll(() => statusBar().innerText()).toMatch(/Online[\s\S]*Queued: 0[\s\S]*Last delivered/)
    await shot("2-receipt-online")
    expect(await amountsInStream()).toEqual([1250])

    // Installable: Chromium finds nothing missing (manifest, icons, service worker).
    const cdp = await kioskContext.newCDPSession(page)
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors") as { installabilityErrors: Array<{ errorId: string }> }
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([])
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe("activated")
  })

  it("keeps selling with the browser offline, survives a reload offline, and delivers everything once back online", async () => {
    await newSale()
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)

    await kioskContext.setOffline(true)
    await expect.poll(() => statusBar().innerText()).toMatch(/Offline/)
    await sell("300", "€3.00")
    expect(await page.locator("[data-fate]").getAttribute("data-fate")).toBe("queued")
    await newSale()
    await sell("4500", "€45.00")
    await newSale()
    await sell("99", "€0.99")
    await expect.poll(() => statusBar().innerText()).toMatch(/Offline[\s\S]*Queued: 3/)
    await shot("3-offline-queued")

    // Reloaded with no network: the service worker answers with the cached app; the queue is still there.
    const reloaded = await page.reload()
    expect(reloaded?.fromServiceWorker()).toBe(true)
    await page.getByRole("group", { name: "Amount keypad" }).waitFor()
    await expect.poll(() => statusBar().innerText()).toMatch(/Offline[\s\S]*Queued: 3/)
    await sell("2000", "€20.00")
    await expect.poll(() => statusBar().innerText()).toMatch(/Queued: 4/)
    await shot("4-reloaded-offline")
    // The app counts all four as waiting. The stream is not checked here: under load Chromium's setOffline once let
    // a request through, which the app (its answer lost) kept queued and redelivered; the end checks each is once.
    expect(await page.locator("[data-fate]").getAttribute("data-fate")).toBe("queued")

    await kioskContext.setOffline(false)
    await expect.poll(() => statusBar().innerText(), { timeout: 30_000 }).toMatch(/Online[\s\S]*Queued: 0[\s\S]*Last delivered/)
    await expect.poll(() => page.locator("[data-fate]").getAttribute("data-fate")).toBe("delivered")
    await shot("5-back-online")
    expect((await amountsInStream()).toSorted((a, b) => a - b)).toEqual([99, 300, 1250, 2000, 4500])
  })

  it("a credential rotated in the console: shown as a QR there, scanned by the kiosk, and the waiting sale goes with it", async () => {
    // The admin rotates the credential in the console; the new token is shown as text and as a QR code.
    consoleBrowser = await launchChromium()
    const consolePage = await (await consoleBrowser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "en-GB" })).newPage()
    await signIn(consolePage, origin, admin.user.username, `/kiosks/${kiosk.id}`)
    await consolePage.getByRole("button", { name: "Rotate device credential" }).click()
    await consolePage.getByRole("dialog", { name: "Rotate device credential" }).getByRole("button", { name: "Rotate device credential" }).click()
    const rotated = await consolePage.getByLabel("Device token").inputValue()
    const qr = consolePage.getByRole("img", { name: "The device token as a QR code" })
    expect(await qrTextIn(await qr.screenshot())).toBe(rotated)
    await consolePage.screenshot({ path: join(artifacts, "kiosk-6-console-rotated-token-qr.png"), fullPage: true })

    // The kiosk still has the old token: the sale waits, nothing is refused, and the kiosk says why.
    await newSale()
    await sell("777", "€7.77")
    await expect.poll(() => statusBar().innerText(), { timeout: 15_000 }).toMatch(/Queued: 1[\s\S]*Device token refused/)
    expect(await page.locator("[data-fate]").getAttribute("data-fate")).toBe("queued")

    // The kiosk restarts with a camera pointed at the console's QR, and scans the new token in the settings.
    const video = join(workDir, "token.y4m")
    await writeQrVideo(video, rotated)
    await kioskContext.close()
    await openKiosk(video)
    await page.goto(`${origin}/kiosk/`)
    await expect.poll(() => statusBar().innerText(), { timeout: 15_000 }).toMatch(/Queued: 1/)
    await page.getByRole("button", { name: "Settings" }).click()
    await page.getByRole("button", { name: "Scan its QR code" }).click()
    await page.getByText("The new device token is in use.").waitFor({ timeout: 20_000 })
    await shot("7-new-token-scanned")
    await page.getByRole("button", { name: "Back to sales" }).click()
    await expect.poll(() => statusBar().innerText(), { timeout: 20_000 }).toMatch(/Online[\s\S]*Queued: 0/)
    expect((await amountsInStream()).toSorted((a, b) => a - b)).toEqual([99, 300, 777, 1250, 2000, 4500])
    expect(problems).toEqual([])
  })
})
