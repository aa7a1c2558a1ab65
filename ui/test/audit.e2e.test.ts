// The Audit page in the built console against the real edge: an auditor picks a range of days and sees the replayed
// payment stream's totals (equal to what was seeded in that range) beside the read model's, no differences, and
// downloads the replay as a CSV the edge streams, whose rows are the payments in the range. An operator is not
// offered the page.
import { randomUUID } from "node:crypto"
import { readFile } from "node:fs/promises"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { signIn } from "./support/browser.ts"
import { type ConsoleUnderTest, openConsole } from "./support/console.ts"

const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)
// In the range (4 to 1 days ago): 1000 + 250 + 900 = €21.50 in three payments. Outside it: one of 700, 8 days ago.
const IN_RANGE = [[1000, 3], [250, 3], [900, 1]] as const
const OUTSIDE = [[700, 8]] as const

let system: EdgeSystem
let consoleServer: ConsoleUnderTest
let auditor: Session
let operator: Session

beforeAll(async () => {
  system = await startEdgeSystem({ env: { KIOSK_FORWARD_WINDOW_DAYS: "30" } })
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  const admin = await system.userWithRole("admin")
  auditor = await system.userWithRole("auditor")
  operator = await system.userWithRole("operator")
  const { kiosk, deviceToken } = await system.registerKiosk(admin, "Audit kiosk")
  let last = 0
  for (const [amount, ago] of [...IN_RANGE, ...OUTSIDE]) {
    const paid = await system.app.inject({
      method: "POST", url: "/payments", headers: { ...system.bearer(deviceToken), "idempotency-key": randomUUID() },
      payload: { kiosk_id: kiosk.id, amount, currency: "EUR", occurred_at: `${day(ago)}T10:00:00Z` },
    })
    expect(paid.statusCode, paid.body).toBe(201)
    last = (paid.json() as { seq: number }).seq
  }
  // The read model has every payment before the page compares it with the stream.
  const caughtUp = await system.app.inject({ method: "GET", url: `/payments/totals?min_seq=${last}`, headers: system.bearer(admin.token) })
  expect(caughtUp.statusCode, caughtUp.body).toBe(200)
  consoleServer = await openConsole(`http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`)
}, 300_000)

afterAll(async () => {
  await consoleServer?.close()
  await system?.close()
})

async function signedIn(session: Session, path: string): Promise<Page> {
  const page = await consoleServer.newPage({ acceptDownloads: true })
  await signIn(page, consoleServer.url, session.user.username, path)
  return page
}

describe("the Audit page", () => {
  it("as auditor: range → replayed totals equal to the seeded ones and the read model's, no differences; the CSV holds the range's payments", async () => {
    const page = await signedIn(auditor, "/")
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click()
    await page.getByRole("heading", { name: "Audit", level: 1 }).waitFor()
    // The default range (last 30 days) holds all four payments: €28.50.
    const replayed = page.getByTestId("replayed-net")
    await expect.poll(() => replayed.textContent(), { timeout: 20_000 }).toBe("€28.50")

    await page.getByLabel("From", { exact: true }).fill(day(4))
    await page.getByLabel("To", { exact: true }).fill(day(1))
    const seeded = IN_RANGE.reduce((sum, [amount]) => sum + amount, 0)
    expect(seeded).toBe(2150)
    await expect.poll(() => replayed.textContent(), { timeout: 20_000 }).toBe("€21.50")
    const row = page.getByTestId("audit-totals").getByRole("row").nth(1)
    expect(await row.getByRole("cell").allTextContents()).toEqual(["EUR", "€21.50", "€21.50"])
    await page.getByTestId("no-differences").waitFor()
    await page.getByTestId("audit-status").getByText("Last seal").waitFor()

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()])
    expect(download.suggestedFilename()).toMatch(/^payments-replay-.*\.csv$/u)
    const lines = (await readFile((await download.path())!, "utf8")).trim().split(/\r?\n/u)
    expect(lines[0]).toMatch(/^seq,/u)
    const rows = lines.slice(1)
    expect(rows).toHaveLength(IN_RANGE.length)
    expect(rows.every((line) => line.includes("PaymentRecorded") && line.includes("EUR"))).toBe(true)
  }, 120_000)

  it("an operator is not offered it, and is told so at its address", async () => {
    const page = await signedIn(operator, "/")
    const nav = page.getByRole("navigation", { name: "Main" })
    await nav.getByRole("link", { name: "Payments" }).waitFor()
    expect(await nav.getByRole("link", { name: "Audit" }).count()).toBe(0)
    await page.goto(`${consoleServer.url}/console/audit`)
    await page.getByText("You are not allowed", { exact: false }).waitFor()
  }, 60_000)
})
