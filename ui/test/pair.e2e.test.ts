// Headless Chromium with a fake camera showing a kiosk's QR label: the built console's Pair page decodes it with
// zxing-wasm (served by us) and submits the code to POST /kiosks/assign.
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { chromium, type BrowserContext } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { serveBuiltConsole } from "./support/console.ts"
import { writeQrVideo } from "./support/fakeCamera.ts"

const CODE = "KIOSK-7F3A"
const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

/** A port nothing listens on: until this test starts the real edge, the API calls fail as when the edge is down. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  const { port } = server.address() as { port: number }
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

let workDir: string
let consoleServer: Awaited<ReturnType<typeof serveBuiltConsole>>
let context: BrowserContext

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "pair-e2e-"))
  await mkdir(artifacts, { recursive: true })
  const video = join(workDir, "qr.y4m")
  await writeQrVideo(video, CODE)
  consoleServer = await serveBuiltConsole(`http://127.0.0.1:${await closedPort()}`)
  context = await chromium.launchPersistentContext(join(workDir, "profile"), {
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
    viewport: { width: 1280, height: 900 },
  })
})

afterAll(async () => {
  await context?.close()
  await consoleServer?.close()
  await rm(workDir, { recursive: true, force: true })
})

describe("pairing by camera", () => {
  it("decodes the QR code from the camera and submits it to POST /kiosks/assign", async () => {
    const page = await context.newPage()
    const requested: string[] = []
    page.on("request", (request) => requested.push(request.url()))
    // An operator's session from an earlier visit (what the console keeps in localStorage after a login).
    await page.addInitScript(() => {
      localStorage.setItem("admin-kiosk.refreshToken", "rt_from_an_earlier_login")
      localStorage.setItem("admin-kiosk.user", JSON.stringify({
        id: "usr_0000000001", username: "olga", role: "operator", active: true,
        contact: { displayName: "Olga", email: null, phone: null, language: "en", preferences: { email: true, sms: false, push: false } },
      }))
      localStorage.setItem("admin-kiosk.locale", "en")
    })

    const started = Date.now()
    await page.goto(`${consoleServer.url}/console/pair`)
    await page.getByRole("heading", { name: "Pair a kiosk" }).waitFor()
    const assign = page.waitForRequest((request) => request.method() === "POST" && new URL(request.url()).pathname === "/kiosks/assign")
    await page.getByRole("button", { name: "Scan with the camera" }).click()

    await page.getByText(`Found code ${CODE}.`).waitFor({ timeout: 15_000 })
    const decodedAfterMs = Date.now() - started
    const request = await assign
    expect(request.postDataJSON()).toEqual({ code: CODE })
    await expect.poll(() => page.getByRole("textbox", { name: "Kiosk code" }).inputValue()).toBe(CODE)
    // The edge is not running here, so pairing reports that it could not reach it (and the camera is off again).
    await page.getByText(/Pairing failed/).waitFor()
    expect(await page.locator("[data-scanner-state]").getAttribute("data-scanner-state")).toBe("found")
    await page.screenshot({ path: join(artifacts, "pair-camera-decoded.png"), fullPage: true })

    // Everything, the wasm decoder included, came from our own origin: no CDN.
    const origins = new Set(requested.map((url) => new URL(url).origin))
    expect([...origins]).toEqual([consoleServer.url])
    expect(requested.some((url) => /zxing_reader-[\w-]+\.wasm$/.test(url))).toBe(true)
    console.info(`QR decoded and submitted ${decodedAfterMs} ms after navigation`)
    await page.close()
  })

  it("fits a phone screen, with the navigation behind the menu button", async () => {
    const page = await context.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.addInitScript(() => {
      localStorage.setItem("admin-kiosk.refreshToken", "rt_from_an_earlier_login")
      localStorage.setItem("admin-kiosk.user", JSON.stringify({ id: "usr_0000000001", username: "olga", role: "operator", active: true, contact: null }))
      localStorage.setItem("admin-kiosk.locale", "es")
      localStorage.setItem("admin-kiosk.theme", "dark")
    })
    await page.goto(`${consoleServer.url}/console/pair`)
    await page.getByRole("heading", { name: "Vincular un quiosco" }).waitFor()
    expect(await page.getByRole("navigation", { name: "Principal" }).isVisible()).toBe(false)
    await page.getByRole("button", { name: "Menú" }).click()
    const nav = page.getByRole("navigation", { name: "Principal" })
    expect(await nav.isVisible()).toBe(true)
    // An operator is offered what operators may do, and nothing else.
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Panel", "Quioscos", "Vincular quiosco", "Pagos"])
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(artifacts, "pair-phone-dark-es.png"), fullPage: true })
    await page.close()
  })
})
