// Every page of the built console, as each role, against the real edge: every page the role's navigation offers
// (so pages added later are covered too) plus a kiosk's and a payment's page, at desktop size in the light and the
// dark theme and at a phone's size. On each: no horizontal scrolling on the phone, no serious or critical axe-core
// violation in either theme, and a screenshot of each (test-artifacts/screenshots/<role>-<page>-<size>-<theme>.png).
// Then what those pages do: the chart's keys, tooltip and table; the payment page's refund in a centred dialog and
// its history; a CSV export whose rows are counted against the totals; the kiosk page's uptime.
import { mkdir, readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { randomUUID } from "node:crypto"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { markKioskOffline, markKioskOnline, systemActor } from "../../src/commands/index.ts"
import { newId } from "../../src/platform/index.ts"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { serveBuiltConsole } from "./support/console.ts"

const screenshots = resolve(import.meta.dirname, "../../test-artifacts/screenshots")
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js")
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }
const ROLES = ["admin", "operator", "auditor"] as const
type RoleName = (typeof ROLES)[number]

let system: EdgeSystem
let consoleServer: Awaited<ReturnType<typeof serveBuiltConsole>>
let browser: Browser
const sessions = {} as Record<RoleName, Session>
let kiosk: { id: string; code: string; deviceToken: string }
let refundedPaymentId: string
let openPaymentId: string

const daysAgo = (n: number, hour = 10) => {
  const d = new Date(Date.now() - n * 86_400_000)
  d.setUTCHours(hour, 15, 0, 0)
  return d.toISOString()
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true })
  // Sales back-dated over the last weeks (forwarded late), so the charts have days to draw.
  system = await startEdgeSystem({ env: { KIOSK_FORWARD_WINDOW_DAYS: "60" } })
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  for (const role of ROLES) sessions[role] = await system.userWithRole(role, `${role}-${newId("u").slice(-6)}`)
  const registered = await system.registerKiosk(sessions.admin, "Front desk")
  kiosk = { ...registered.kiosk, deviceToken: registered.deviceToken }
  await system.registerKiosk(sessions.admin, "Garage (never seen)")
  const assigned = await system.app.inject({ method: "POST", url: "/kiosks/assign", headers: system.bearer(sessions.operator.token), payload: { code: await system.pairingCode(sessions.admin, kiosk.id) } })
  expect(assigned.statusCode, assigned.body).toBe(200)

  const pay = async (amount: number, occurredAt: string) => {
    const response = await system.app.inject({
      method: "POST", url: "/payments", headers: { ...system.bearer(kiosk.deviceToken), "idempotency-key": randomUUID() },
      payload: { kiosk_id: kiosk.id, amount, currency: "EUR", occurred_at: occurredAt },
    })
    expect(response.statusCode, response.body).toBe(201)
    return (response.json() as { payment: { id: string } }).payment.id
  }
  for (let day = 20; day >= 1; day--) await pay(500 + ((day * 137) % 900), daysAgo(day))
  refundedPaymentId = await pay(1250, daysAgo(0, 0))
  openPaymentId = await pay(2000, daysAgo(0, 0))
  const refund = await system.app.inject({
    method: "POST", url: `/payments/${refundedPaymentId}/refund`, headers: { ...system.bearer(sessions.admin.token), "idempotency-key": randomUUID() },
    payload: { amount: 250, reason: "coffee spilled" },
  })
  expect(refund.statusCode, refund.body).toBe(200)
  // An outage, over, and the kiosk back: the uptime section has a period to show.
  const context = () => ({ actor: systemActor("test"), correlationId: newId("cor") })
  await system.app.run(markKioskOffline(kiosk.id, new Date(Date.now() - 1_000).toISOString(), context()))
  await system.app.run(markKioskOnline(kiosk.id, new Date().toISOString(), context()))

  consoleServer = await serveBuiltConsole(`http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await consoleServer?.close()
  await system?.close()
})

async function signedIn(role: RoleName, path = "/"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: "en-GB", acceptDownloads: true })
  const page = await context.newPage()
  await signIn(page, consoleServer.url, sessions[role].user.username, path)
  return { context, page }
}

/** Waits until the page has drawn what it loads: no "Loading…" left, and every chart on it drawn. */
async function settledPage(page: Page) {
  await page.locator("main").waitFor()
  await expect.poll(() => page.getByRole("status").filter({ hasText: "Loading…" }).count(), { timeout: 20_000 }).toBe(0)
  await expect.poll(() => page.evaluate(() => [...document.querySelectorAll("[data-testid=chart-canvas]")]
    .every((chart) => chart.querySelector("canvas") !== null)), { timeout: 20_000 }).toBe(true)
}

async function seriousViolations(page: Page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await readFile(axeSource, "utf8") })
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe
    return axe.run(document, { resultTypes: ["violations"] })
  })
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(", ")}`)
}

const fileName = (path: string) => (path === "/" ? "dashboard" : path.slice(1).replace(/\/(ksk|pay)_[0-9a-z]+/u, "/$1").replace(/[^a-z0-9]+/giu, "-"))

/** One page, three ways: desktop light and dark (axe, screenshots), then phone (no sideways scroll, screenshot). */
async function checkPage(page: Page, role: RoleName, path: string) {
  await page.setViewportSize(DESKTOP)
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme })
    await page.goto(`${consoleServer.url}/console${path}`)
    await settledPage(page)
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(theme === "dark")
    expect(await seriousViolations(page), `${role} ${path} ${theme}`).toEqual([])
    await page.screenshot({ path: join(screenshots, `${role}-${fileName(path)}-desktop-${theme}.png`), fullPage: true })
  }
  await page.emulateMedia({ colorScheme: "light" })
  await page.setViewportSize(PHONE)
  await page.goto(`${consoleServer.url}/console${path}`)
  await settledPage(page)
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
  expect(widths.scroll, `${role} ${path} is wider than a phone`).toBeLessThanOrEqual(widths.inner)
  expect(await seriousViolations(page), `${role} ${path} phone`).toEqual([])
  await page.screenshot({ path: join(screenshots, `${role}-${fileName(path)}-phone-light.png`), fullPage: true })
  await page.setViewportSize(DESKTOP)
}

describe.each(ROLES)("every page as %s", (role) => {
  it("desktop light and dark, phone: no sideways scroll, no serious axe violation, screenshots", async () => {
    const { context, page } = await signedIn(role)
    try {
      await settledPage(page)
      const offered = await page.getByRole("navigation", { name: "Main" }).getByRole("link")
        .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname.replace(/^\/console/u, "") || "/"))
      expect(offered).toContain("/payments")
      const paths = [...new Set([...offered, `/kiosks/${kiosk.id}`, `/payments/${refundedPaymentId}`, "/no-such-page"])]
      for (const path of paths) await checkPage(page, role, path)
    } finally {
      await context.close()
    }
  }, 600_000)
})

describe("signed out", () => {
  it("the login and sign-up pages: no sideways scroll on a phone, no serious axe violation", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "en-GB" })
    const page = await context.newPage()
    try {
      for (const path of ["/login", "/signup"]) {
        await page.setViewportSize(DESKTOP)
        await page.goto(`${consoleServer.url}/console${path}`)
        await page.getByRole("button").first().waitFor()
        expect(await seriousViolations(page), path).toEqual([])
        await page.screenshot({ path: join(screenshots, `signed-out-${fileName(path)}-desktop-light.png`), fullPage: true })
        await page.setViewportSize(PHONE)
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true)
        await page.screenshot({ path: join(screenshots, `signed-out-${fileName(path)}-phone-light.png`), fullPage: true })
      }
    } finally {
      await context.close()
    }
  }, 180_000)
})

describe("what the pages do", () => {
  it("the dashboard: kiosks never seen counted, plural forms; its chart: values on its axes, a tooltip under the pointer and the arrow keys, the numbers as a table; the feed links to payments", async () => {
    const { context, page } = await signedIn("auditor")
    try {
      await settledPage(page)
      // The kiosk card counts the kiosk never seen (defect 9); today's two payments in the plural, one refund not.
      await expect.poll(() => page.locator("a[href$='status=unknown']").textContent()).toBe("1")
      await page.getByTestId("today-sales").getByText("2 payments").waitFor()
      const chart = page.getByRole("img", { name: /^Sales, last 30 days \(EUR\): 30 days from/u })
      await chart.waitFor()
      // Pointer over the plot: a tooltip with a day and a net amount.
      const box = (await chart.boundingBox())!
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
      const tooltip = page.getByTestId("chart-tooltip")
      await expect.poll(() => tooltip.textContent()).toMatch(/Net sales€[\d,.]+/u)
      // Keyboard: End goes to today, Left to yesterday, read out by the live region.
      await chart.focus()
      await page.keyboard.press("End")
      await expect.poll(() => tooltip.textContent()).toMatch(/Net sales/u)
      const today = await tooltip.locator("div").first().textContent()
      await page.keyboard.press("ArrowLeft")
      await expect.poll(() => tooltip.locator("div").first().textContent()).not.toBe(today)
      await page.getByText("Show the numbers as a table").first().click()
      const rows = page.getByRole("region", { name: "Sales, last 30 days (EUR)" }).getByRole("row")
      await expect.poll(() => rows.count()).toBe(31)
      // The live feed names the kiosk and opens the payment.
      const feed = page.getByTestId("live-feed")
      await feed.getByText("Front desk").first().waitFor()
      await feed.getByRole("link", { name: /open the payment/u }).first().click()
      await page.waitForURL(/\/console\/payments\/pay_/u)
      await page.getByRole("heading", { name: /^Payment of €/u }).waitFor()
    } finally {
      await context.close()
    }
  })

  it("a payment's page: refunds with reasons, the history with stream sequences, a refund in a centred dialog", async () => {
    const { context, page } = await signedIn("admin", `/payments/${openPaymentId}`)
    try {
      await page.getByRole("heading", { name: "Payment of €20.00" }).waitFor()
      expect(await page.getByTestId("payment-id").textContent()).toBe(openPaymentId)
      await page.getByText("Not refunded.").waitFor()
      const history = page.getByTestId("payment-history")
      await expect.poll(() => history.getByRole("listitem").count()).toBe(1)
      expect(await history.textContent()).toMatch(/#\d+Payment recorded/u)

      await page.getByRole("button", { name: "Refund", exact: true }).click()
      await page.getByRole("dialog", { name: /^Refund €20.00$/u }).waitFor()
      // Its title follows the amount typed.
      const dialog = page.getByRole("dialog")
      // Centred in the viewport (defect 5: dialogs used to open in the top-left corner).
      const box = (await dialog.boundingBox())!
      expect(Math.abs(box.x + box.width / 2 - DESKTOP.width / 2)).toBeLessThanOrEqual(2)
      expect(Math.abs(box.y + box.height / 2 - DESKTOP.height / 2)).toBeLessThanOrEqual(2)
      await dialog.getByLabel("Amount to refund (EUR)").fill("5")
      await dialog.getByLabel("Reason").fill("wrong size")
      await dialog.getByRole("button", { name: "Refund now" }).click()
      await page.getByText("Refunded €5.00 of a payment at Front desk.").waitFor()
      const refunds = page.getByTestId("payment-refunds")
      await refunds.getByText("wrong size").waitFor()
      await page.getByText("1 refund", { exact: true }).waitFor()
      await expect.poll(() => history.getByRole("listitem").count()).toBe(2)
      expect(await history.textContent()).toMatch(/#\d+Refunded/u)
      await page.getByText("Partly refunded").first().waitFor()
      // The notice says what just happened, then goes (defect 9: a stale "Refunded." stayed).
      await page.getByText("Refunded €5.00 of a payment at Front desk.").waitFor({ state: "detached", timeout: 15_000 })

      await page.getByRole("button", { name: "Copy id" }).waitFor()
      await page.getByRole("link", { name: "All payments" }).click()
      await page.waitForURL(/\/console\/payments$/u)
    } finally {
      await context.close()
    }
  })

  it("Payments: a real CSV download, its rows counted against the totals the page shows", async () => {
    const { context, page } = await signedIn("auditor", "/payments")
    try {
      const totals = page.getByTestId("payment-totals")
      await totals.waitFor()
      const shown = await totals.textContent()
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()])
      expect(download.suggestedFilename()).toMatch(/\.csv$/u)
      const text = await readFile((await download.path())!, "utf8")
      const rows = text.trim().split(/\r?\n/u).slice(1)
      expect(rows).toHaveLength(22)
      expect(shown).toContain(`${rows.length} payments`)
      // The phone shows cards: one per payment on the page, amounts and the refund button inside the screen.
      await page.setViewportSize(PHONE)
      const cards = page.getByRole("list", { name: "Payments" }).getByRole("listitem")
      await expect.poll(() => cards.count()).toBe(22)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    } finally {
      await context.close()
    }
  })

  it("a kiosk's page: its uptime with the outage, last seen from its payments, the chart; the operator's own kiosk only", async () => {
    const { context, page } = await signedIn("operator", `/kiosks/${kiosk.id}`)
    try {
      await page.getByRole("heading", { name: "Kiosk Front desk" }).waitFor()
      const uptime = page.getByTestId("uptime")
      await uptime.getByText("Times offline").waitFor()
      await expect.poll(() => uptime.getByRole("list", { name: "Offline periods, newest first" }).getByRole("listitem").count()).toBe(1)
      expect(await page.getByText("Never").count()).toBe(0)
      await page.getByRole("img", { name: /^Daily sales, last 30 days \(EUR\)/u }).waitFor()
    } finally {
      await context.close()
    }
  })
})
