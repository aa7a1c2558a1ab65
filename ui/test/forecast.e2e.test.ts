// Forecasts and recommendations in the built console against the real edge and a real forecaster: a kiosk with
// ten weeks of history shows its sales and forecast (80%/95% bands, seasonal-naive baseline) on one chart with the
// method and its backtest; a kiosk with three weeks says "not enough history"; the Recommendations page links each
// kiosk to its page; the dashboard shows the fleet's forecast for the month. The kiosk chart is saved as a screenshot.
import { mkdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { startEdgeSystem, type EdgeSystem, type Session } from "../../test/support/edge.ts"
import { recordPayment } from "../../src/commands/index.ts"
import { addDays, dayOf, type RunningForecaster, startForecaster } from "../../src/workers/forecaster/index.ts"
import { launchChromium, signIn } from "./support/browser.ts"
import { serveBuiltConsole } from "./support/console.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")
const YESTERDAY = addDays(dayOf(new Date()), -1)

let system: EdgeSystem
let forecaster: RunningForecaster
let consoleServer: Awaited<ReturnType<typeof serveBuiltConsole>>
let browser: Browser
let context: BrowserContext
let admin: Session
let busy: { id: string; code: string }
let fresh: { id: string; code: string }

/** One sale a day up to yesterday: weekends twice the weekdays, a slow rise, a little deterministic noise. */
async function sell(kioskId: string, days: number, base: number) {
  const ctx = { actor: { kind: "kiosk" as const, id: kioskId }, correlationId: `forecast-e2e-${kioskId}` }
  await system.app.run(Effect.forEach(Array.from({ length: days }, (_, k) => addDays(YESTERDAY, -k)), (day, k) => {
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())
    const amount = Math.round(base * (weekend ? 2 : 1) * (1 + (days - k) / 200) + ((k * 37) % 11) * base / 50)
    return recordPayment({ kioskId, amount, currency: "EUR", occurredAt: `${day}T13:00:00.000Z`, idempotencyKey: `e2e-${day}` }, ctx)
  }, { concurrency: 8, discard: true }))
}

const get = async (url: string) => {
  const response = await system.app.inject({ method: "GET", url, headers: system.bearer(admin.token) })
  return { status: response.statusCode, body: response.json() as Record<string, unknown> }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    if (await check()) return
  }
  throw new Error(`timed out waiting for ${what}`)
}

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true })
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  admin = await system.userWithRole("admin")
  busy = (await system.registerKiosk(admin, "Station busy")).kiosk
  fresh = (await system.registerKiosk(admin, "Station new")).kiosk
  // The busy kiosk first: by the time the new one is judged, its peer's takings are in the read model.
  await sell(busy.id, 70, 5_000)
  await sell(fresh.id, 21, 200)
  forecaster = await startForecaster(system.runtime, { quietMs: 200, maxWaitMs: 1_000, fleetQuietMs: 200, fleetMaxWaitMs: 1_000, pollMs: 100 })
  await until("the forecasts and the recommendation", async () =>
    (await get(`/ai/predict?kiosk_id=${busy.id}`)).status === 200 && (await get("/ai/predict")).status === 200 &&
    (await get(`/ai/predict?kiosk_id=${fresh.id}`)).status === 422 &&
    ((await get(`/ai/recommendations?kiosk_id=${fresh.id}`)).body.items as Array<unknown> | undefined ?? []).length > 0)
  consoleServer = await serveBuiltConsole(`http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`)
  browser = await launchChromium()
}, 300_000)

let current: Page | undefined
afterEach(async ({ task }) => {
  // What the page showed when a test failed.
  if (task.result?.state === "fail") await current?.screenshot({ path: join(artifacts, `forecast-failed-${task.name.slice(0, 40).replaceAll(/\W+/g, "-")}.png`), fullPage: true })
  await context?.close()
})
afterAll(async () => {
  await browser?.close()
  await consoleServer?.close()
  await forecaster?.stop()
  await system?.close()
})

async function adminPage(path: string): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "en-GB" })
  const page = await context.newPage()
  current = page
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`))
  await signIn(page, consoleServer.url, admin.user.username, path)
  return page
}

describe("forecasts and recommendations in the console", { timeout: 120_000 }, () => {
  it("shows a kiosk's history and forecast on one chart, with the baseline, the method and its backtest", async () => {
    const page = await adminPage(`/kiosks/${busy.id}`)
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Sales and forecast" }) })
    await section.getByTestId("forecast-facts").waitFor()
    const canvas = section.getByTestId("chart-canvas").locator("canvas").first()
    await canvas.waitFor()
    expect((await canvas.boundingBox())!.height).toBeGreaterThan(150)
    const legend = section.getByRole("list", { name: "Legend" })
    for (const name of ["Net sales", "Forecast", "Seasonal naive", "95% interval", "80% interval"]) await expect(legend.getByText(name, { exact: true }).count()).resolves.toBe(1)
    const facts = await section.getByTestId("forecast-facts").innerText()
    expect(facts).toMatch(/Method: (Holt–Winters|Seasonal naive)/)
    expect(facts).toMatch(/Backtest over [\d,]+ held-out days: MASE \d\.\d\d against seasonal naive's \d\.\d\d/)
    expect(facts).toMatch(/Next 30 days: €[\d,.]+ \(80%: €[\d,.]+ – €[\d,.]+; 95%: €[\d,.]+ – €[\d,.]+\)/)
    // The numbers under the chart: the forecast's first day has a point and both bands, as the edge sent them.
    const predicted = (await get(`/ai/predict?kiosk_id=${busy.id}`)).body.forecasts as Array<{ daily: Array<{ lo95: number; hi95: number }> }>
    const today = predicted[0]!.daily[0]!
    await section.getByText("Show the numbers as a table").click()
    // 29 complete days of history (to yesterday), then the forecast from today: net sales, forecast, baseline, 95%, 80%.
    const cells = await section.locator("tbody tr").nth(29).locator("td").allInnerTexts()
    expect(cells).toHaveLength(5)
    expect(cells[0]).toBe("")
    expect(cells[3]).toBe(`${euros(today.lo95)} – ${euros(today.hi95)}`)
    await section.getByText("Show the numbers as a table").click()
    await section.screenshot({ path: join(artifacts, "forecast-kiosk-chart.png") })
    await page.screenshot({ path: join(artifacts, "forecast-kiosk-page.png"), fullPage: true })
  })

  it("says how much history a kiosk still lacks instead of a number", async () => {
    const page = await adminPage(`/kiosks/${fresh.id}`)
    await expect(page.getByTestId("forecast-not-enough").innerText()).resolves.toBe("Not enough history to forecast (21 days, need 56).")
    expect(await page.getByTestId("forecast-facts").count()).toBe(0)
  })

  it("lists recommendations per kiosk with a link to the kiosk, in English and Spanish", async () => {
    const page = await adminPage("/")
    await page.getByRole("navigation").getByRole("link", { name: "Recommendations" }).click()
    await page.getByRole("heading", { name: "Recommendations", level: 1 }).waitFor()
    await page.getByText("Far below kiosks at the same place").first().waitFor()
    await expect(page.getByText(/Station new takes [\d.,]+ EUR on an average day/).count()).resolves.toBe(1)
    await page.getByLabel("Language").selectOption("es")
    await page.getByText("Muy por debajo de los quioscos del mismo lugar").first().waitFor()
    await expect(page.getByText(/Station new recauda [\d.,]+ EUR en un día medio/).count()).resolves.toBe(1)
    await page.getByRole("link", { name: "Station new" }).click()
    await page.waitForURL(`${consoleServer.url}/console/kiosks/${fresh.id}`)
    await page.getByRole("heading", { name: "Quiosco Station new" }).waitFor()
  })

  it("shows the fleet's forecast for the month on the dashboard", async () => {
    const page = await adminPage("/")
    const month = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date())
    await page.getByRole("heading", { name: `Fleet forecast, ${month}` }).waitFor()
    const text = await page.getByTestId("fleet-month-forecast").innerText()
    expect(text).toMatch(/Expected total: €[\d,.]+/)
    expect(text).toMatch(/80% interval €[\d,.]+ – €[\d,.]+; 95% interval €[\d,.]+ – €[\d,.]+\./)
    expect(text).toMatch(/€[\d,.]+ taken up to yesterday, plus €[\d,.]+ forecast for the \d+ days left\./)
  })
})

const euros = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(minor / 100)
