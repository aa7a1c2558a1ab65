// The built console in headless Chromium against the real edge (NATS, Postgres, projectors): an operator signs
// in and pairs a kiosk by pointing the (fake) camera at its QR label. Unknown and taken codes get their own
// messages; the layout holds on a phone, in Spanish and dark mode. Each test has its own browser context
// (own localStorage, so its own session).
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { startEdgeSystem, type EdgeSystem, type Session } from "../../test/support/edge.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { serveBuiltConsole } from "./support/console.ts"
import { writeQrVideo } from "./support/fakeCamera.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

let workDir: string
let system: EdgeSystem
let consoleServer: Awaited<ReturnType<typeof serveBuiltConsole>>
let browser: Browser
let context: BrowserContext
let kiosk: { kiosk: { id: string; code: string; name?: string }; deviceToken: string }
let operator: { username: string }
let rival: { username: string }
let admin: Session

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "console-e2e-"))
  await mkdir(artifacts, { recursive: true })
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  const address = system.app.server.address() as { port: number }
  admin = await system.userWithRole("admin")
  kiosk = await system.registerKiosk(admin, "Lobby kiosk")
  operator = (await system.userWithRole("operator")).user
  rival = (await system.userWithRole("operator")).user

  const video = join(workDir, "label.y4m")
  // The camera films the kiosk's current label: its pairing code, not the kiosk code alone.
  await writeQrVideo(video, await system.pairingCode(admin, kiosk.kiosk.id))
  consoleServer = await serveBuiltConsole(`http://127.0.0.1:${address.port}`)
  browser = await launchChromium(video)
})

/** A fresh browser context (no session yet) with the camera allowed. */
async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  context = await browser.newContext({ viewport, locale: "en-GB", permissions: ["camera"] })
  return context.newPage()
}
afterEach(async () => { await context?.close() })

afterAll(async () => {
  await browser?.close()
  await consoleServer?.close()
  await system?.close()
  await rm(workDir, { recursive: true, force: true })
})

describe("the console against the real edge", () => {
  it("pairs a kiosk by scanning its QR label with the camera", async () => {
    const page = await newPage()
    const requested: string[] = []
    page.on("request", (request) => requested.push(request.url()))
    await signIn(page, consoleServer.url, operator.username, "/pair")
    await page.getByRole("heading", { name: "Pair a kiosk" }).waitFor()

    const started = Date.now()
    await page.getByRole("button", { name: "Scan with the camera" }).click()
    await page.getByText(`Found code ${kiosk.kiosk.code}.`).waitFor({ timeout: 15_000 })
    const decodedMs = Date.now() - started
    await page.getByText("Kiosk Lobby kiosk is now yours.").waitFor()
    await page.screenshot({ path: join(artifacts, "pair-camera-paired.png"), fullPage: true })

    const assigned = await system.app.inject({ method: "GET", url: `/kiosks/${kiosk.kiosk.id}`, headers: system.bearer((await system.login(operator.username)).token) })
    expect(assigned.json()).toMatchObject({ operatorId: expect.any(String), code: kiosk.kiosk.code })
    // Everything, the wasm decoder included, came from our own origin: no CDN.
    expect([...new Set(requested.map((url) => new URL(url).origin))]).toEqual([consoleServer.url])
    expect(requested.some((url) => /\/console\/assets\/zxing_reader-[\w-]+\.wasm$/.test(url))).toBe(true)
    console.info(`camera started → code decoded → kiosk paired in ${decodedMs} ms`)
  })

  it("says so when a code is only a kiosk code, pairs nothing, or the kiosk is someone else's", async () => {
    const page = await newPage()
    await signIn(page, consoleServer.url, rival.username, "/pair")
    const code = page.getByRole("textbox", { name: "Pairing code" })
    await code.fill(kiosk.kiosk.code)
    await page.getByRole("button", { name: "Pair", exact: true }).click()
    await page.getByText("That is not a pairing code.", { exact: false }).waitFor()

    await code.fill("NOSUCH-KIOSK-1 0000-0000-0000-0000")
    await page.getByRole("button", { name: "Pair", exact: true }).click()
    await page.getByText("No kiosk pairs with that code for NOSUCH-KIOSK-1", { exact: false }).waitFor()

    // The label the kiosk shows now (the first test paired it) names a kiosk that is taken.
    const current = await system.pairingCode(admin, kiosk.kiosk.id)
    await code.fill(current.toLowerCase())
    await page.getByRole("button", { name: "Pair", exact: true }).click()
    await page.getByText(`Kiosk ${kiosk.kiosk.code} is already assigned to someone else.`, { exact: false }).waitFor()
    await page.screenshot({ path: join(artifacts, "pair-taken.png"), fullPage: true })
  })

  it("fits a phone screen, in Spanish and dark mode, offering an operator only what operators may do", async () => {
    const page = await newPage({ width: 390, height: 844 })
    await signIn(page, consoleServer.url, operator.username, "/pair")
    await page.getByLabel("Language").selectOption("es")
    await page.getByLabel("Tema").selectOption("dark")
    await page.getByRole("heading", { name: "Vincular un quiosco" }).waitFor()
    expect(await page.getByRole("navigation", { name: "Principal" }).isVisible()).toBe(false)
    await page.getByRole("button", { name: "Menú" }).click()
    const nav = page.getByRole("navigation", { name: "Principal" })
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Panel", "Quioscos", "Vincular quiosco", "Pagos", "Recomendaciones", "Mi cuenta"])
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(artifacts, "pair-phone-dark-es.png"), fullPage: true })
  })
})
