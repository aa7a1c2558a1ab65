// An administrator's day in the built console against the real edge: register a kiosk (its device token shown
// once), open it with its QR label, rename it, rotate its credential; find a payment and refund part of it
// after a confirm step; search the kiosk list.
import { mkdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { startEdgeSystem, type EdgeSystem } from "../../test/support/edge.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { serveBuiltConsole } from "./support/console.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

let system: EdgeSystem
let consoleServer: Awaited<ReturnType<typeof serveBuiltConsole>>
let browser: Browser
let context: BrowserContext
let admin: { username: string }

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true })
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  admin = (await system.userWithRole("admin")).user
  consoleServer = await serveBuiltConsole(`http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`)
  browser = await launchChromium()
})

afterEach(async () => { await context?.close() })
afterAll(async () => {
  await browser?.close()
  await consoleServer?.close()
  await system?.close()
})

async function adminPage(path: string): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" })
  const page = await context.newPage()
  await signIn(page, consoleServer.url, admin.username, path)
  return page
}

const heartbeat = (token: string, kioskId: string) =>
  system.app.inject({ method: "POST", url: `/kiosks/${kioskId}/heartbeat`, headers: system.bearer(token), payload: {} })

describe("an administrator in the console", () => {
  it("registers a kiosk, sees its token once, then renames it and rotates its credential", async () => {
    const page = await adminPage("/kiosks/new")
    await page.getByLabel("Name", { exact: true }).fill("Front desk")
    await page.getByLabel("Location").fill("Hall A")
    await page.getByRole("button", { name: "Register" }).click()

    const done = page.getByText(/Kiosk Front desk registered with code [A-Z0-9-]+\./)
    await done.waitFor()
    const firstToken = await page.getByLabel("Device token").inputValue()
    expect(firstToken.length).toBeGreaterThan(20)
    await page.screenshot({ path: join(artifacts, "admin-kiosk-registered.png"), fullPage: true })

    await page.getByRole("link", { name: "Open the kiosk" }).click()
    await page.getByRole("heading", { name: "Kiosk Front desk" }).waitFor()
    const kioskId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!)
    expect((await heartbeat(firstToken, kioskId)).statusCode).toBe(202)
    // The QR label is the edge's SVG, fetched with the session and shown as an image.
    const label = page.getByRole("img", { name: /^QR / })
    await expect.poll(() => label.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    // The token is not shown again anywhere.
    expect(await page.getByLabel("Device token").count()).toBe(0)

    await page.getByLabel("Name", { exact: true }).fill("Front desk (east)")
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByRole("heading", { name: "Kiosk Front desk (east)" }).waitFor()

    await page.getByRole("button", { name: "Rotate device credential" }).click()
    const dialog = page.getByRole("dialog", { name: "Rotate device credential" })
    await dialog.getByRole("button", { name: "Rotate device credential" }).click()
    const rotated = await page.getByLabel("Device token").inputValue()
    expect(rotated).not.toBe(firstToken)
    expect((await heartbeat(firstToken, kioskId)).statusCode).toBe(401)
    expect((await heartbeat(rotated, kioskId)).statusCode).toBe(202)
    await page.screenshot({ path: join(artifacts, "admin-kiosk-detail.png"), fullPage: true })
  })

  it("refunds part of a payment after confirming, and finds kiosks by name", async () => {
    const adminSession = await system.login(admin.username)
    const registered = await system.registerKiosk(adminSession, "Cafe corner")
    await system.registerKiosk(adminSession, "Garage")
    const paid = await system.app.inject({
      method: "POST", url: "/payments",
      headers: { ...system.bearer(registered.deviceToken), "idempotency-key": "admin-e2e-1" },
      payload: { kiosk_id: registered.kiosk.id, amount: 1250, currency: "EUR" },
    })
    expect(paid.statusCode).toBe(201)
    const { seq } = paid.json() as { seq: number }

    const page = await adminPage(`/payments?kiosk=${registered.kiosk.id}`)
    // The list may be read before the projector caught up with the payment: reload until it shows (min_seq is
    // how the API waits; the page itself is a fresh read each time).
    await system.app.inject({ method: "GET", url: `/payments?min_seq=${seq}&limit=1`, headers: system.bearer(adminSession.token) })
    await page.reload()
    const row = page.getByRole("row").filter({ hasText: "€12.50" })
    await row.waitFor()
    await row.getByRole("button", { name: /Refund/ }).click()

    const dialog = page.getByRole("dialog")
    const amount = dialog.getByLabel("Amount to refund (EUR)")
    expect(await amount.inputValue()).toBe("12.50")
    await amount.fill("2.5")
    await dialog.getByLabel("Reason").fill("one coffee short")
    await dialog.getByRole("button", { name: "Refund now" }).click()
    await page.getByText("Refunded €2.50 of a payment at Cafe corner.").waitFor()
    await row.getByText("Partly refunded").waitFor()
    expect(await row.getByText("€2.50").count()).toBe(1)
    await page.screenshot({ path: join(artifacts, "admin-payment-refunded.png"), fullPage: true })

    await page.getByRole("link", { name: "Kiosks", exact: true }).click()
    await page.getByLabel("Search by name or code").fill("cafe")
    await page.waitForURL(/q=cafe/)
    const names = page.getByRole("table").getByRole("link")
    await expect.poll(() => names.allTextContents()).toEqual(["Cafe corner"])
    await page.screenshot({ path: join(artifacts, "admin-kiosks-search.png"), fullPage: true })
  })
})
