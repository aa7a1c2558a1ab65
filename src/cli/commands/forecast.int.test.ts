// `admin-kiosk forecast backtest` as an operator runs it (a process of its own) on read models built by the real
// projectors: the table per kiosk and currency and the fleet, an honest "not enough history", the JSON equal to
// what the forecaster fits from the same history, --kiosk by code, and an unknown code as one line with exit 1.
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCli } from "../../../test/support/cli.ts"
import { recordPayment, registerKiosk } from "../../commands/index.ts"
import { FLEET, readSalesHistory } from "../../projections/index.ts"
import { projectEverything, readSideFixture, type ReadFixture } from "../../../test/support/projections/fixture.ts"
import { forecastRecords, MAX_HISTORY_DAYS } from "../../workers/forecaster/index.ts"
import { addDays, dayOf } from "../../workers/forecaster/model/index.ts"

const YESTERDAY = addDays(dayOf(new Date()), -1)

describe("forecast backtest (CLI)", { timeout: 300_000 }, () => {
  let f: ReadFixture
  let busyId: string
  const cli = (...args: Array<string>) => runCli(["forecast", "backtest", ...args], f.env)

  /** One sale a day for `days` days up to yesterday, weekends twice the weekdays: a weekly pattern to find. */
  async function sell(kioskId: string, days: number) {
    const asKiosk = { actor: { kind: "kiosk" as const, id: kioskId }, correlationId: `bt-${kioskId}` }
    await f.writes.run(Effect.forEach(Array.from({ length: days }, (_, k) => addDays(YESTERDAY, -k)), (day, k) => {
      const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())
      return recordPayment({ kioskId, amount: (weekend ? 2_000 : 1_000) + (k * 37) % 200, currency: "EUR", occurredAt: `${day}T12:00:00.000Z`, idempotencyKey: `bt-${day}` }, asKiosk)
    }, { concurrency: 8, discard: true }))
  }

  beforeAll(async () => {
    f = await readSideFixture()
    busyId = (await f.writes.run(registerKiosk({ name: "Busy", location: "Hall", code: "BT-BUSY-1" }, f.context))).kiosk.id
    const fresh = (await f.writes.run(registerKiosk({ name: "Fresh", location: "Hall", code: "BT-FRESH-1" }, f.context))).kiosk.id
    await sell(busyId, 70)
    await sell(fresh, 10)
    await projectEverything(f, 60_000)
  }, 180_000)
  afterAll(async () => { await f?.dispose() })

  it("prints a row per kiosk and currency and the fleet's, with an honest short history", async () => {
    const run = await cli()
    expect(run.code).toBe(0)
    const lines = run.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^kiosk\s+currency\s+method\s+MASE\s+naive MASE\s+80% cov\.\s+95% cov\.\s+origins\s+held-out\s+days$/)
    expect(lines[1]).toMatch(/^BT-BUSY-1\s+EUR\s+(ets|seasonal_naive)\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d%\s+\d+\.\d%\s+4\s+112\s+70$/)
    expect(lines[2]).toMatch(/^BT-FRESH-1\s+EUR\s+not enough history \(10 days, need 56\)\s+10$/)
    expect(lines[3]).toMatch(/^fleet\s+EUR\s+(ets|seasonal_naive)\s/)
    expect(lines.at(-1)).toMatch(new RegExp(`^2 series backtested on 224 held-out days \\(history to ${YESTERDAY}\\): the chosen method beats seasonal naive on [0-2]; ` +
      "80% intervals covered \\d+\\.\\d%, 95% intervals \\d+\\.\\d%$"))
    // Not a terminal: the progress is a plain line on stderr, never mixed into the table.
    expect(run.stderr).toMatch(/^forecast backtest: 3\/3 kiosks \(100%\)/m)
  })

  it("--json holds exactly what the forecaster fits from the same history", async () => {
    const run = await cli("--json", "--kiosk", "BT-BUSY-1")
    expect(run.code).toBe(0)
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>
    const history = await readSalesHistory(f.db.db, busyId, addDays(YESTERDAY, -(MAX_HISTORY_DAYS - 1)), YESTERDAY)
    const [record] = forecastRecords(history, busyId, YESTERDAY)
    const backtest = record!.document!.backtest
    expect(rows).toEqual([{
      kiosk: "BT-BUSY-1", kioskId: busyId, currency: "EUR", status: "ready", method: record!.method, mase: backtest.mase,
      baselineMase: backtest.baselineMase, coverage80: backtest.coverage80, coverage95: backtest.coverage95,
      origins: 4, heldOut: 112, observedDays: 70, needDays: 0,
    }])
    expect(rows.some((r) => r.kioskId === FLEET)).toBe(false)
  })

  it("an unknown kiosk is one line and exit 1; a bad option is a usage error", async () => {
    const unknown = await cli("--kiosk", "BT-BUSY-1", "--kiosk", "NOPE-9")
    expect([unknown.code, unknown.stdout, unknown.stderr.trim().split("\n").at(-1)]).toEqual([1, "", "admin-kiosk forecast backtest: no kiosk with code or id NOPE-9"])
    expect((await cli("--horizon", "3")).code).toBe(2)
  })
})
