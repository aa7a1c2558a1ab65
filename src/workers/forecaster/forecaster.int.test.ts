// The forecaster on real NATS and Postgres, two instances at once: payments and an outage go in through the
// commands, the projectors build the read models, and the forecasts come out — deterministic, with the offline day
// missing, a short history refused honestly, refitted on a back-dated payment and again when a new day begins.
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { processRuntime } from "../../../test/support/processRuntime.ts"
import type { AppSettings } from "../../platform/index.ts"
import { type CommandContext, markKioskOffline, markKioskOnline, recordPayment, registerKiosk } from "../../commands/index.ts"
import {
  closeDb, type DbHandle, FLEET, openDb, readSalesHistory, readSideDeps, type RunningProjectors, startProjectors, withRolePool,
} from "../../projections/index.ts"
import { MAX_HISTORY_DAYS } from "./history.ts"
import { addDays, dayOf } from "./model/index.ts"
import { forecastRecords } from "./records.ts"
import { type RunningForecaster, startForecaster } from "./worker.ts"

const admin: CommandContext = { actor: { kind: "system", name: "test" }, correlationId: "forecaster-test" }
const TODAY = dayOf(new Date())
let today = TODAY
let t: Awaited<ReturnType<typeof commandRuntime>>
let db: DbHandle
// The projectors' process, and one per forecaster instance (as if each ran in a process of its own).
const runtimes: Array<ReturnType<typeof processRuntime>> = []
const instanceRuntime = (settings: AppSettings) => {
  const runtime = processRuntime(settings)
  runtimes.push(runtime)
  return runtime
}
let projectors: RunningProjectors
const forecasters: Array<RunningForecaster> = []

beforeAll(async () => {
  t = await commandRuntime({ LOG_LEVEL: "warn" })
  db = openDb(t.settings, "test")
  projectors = await startProjectors(await instanceRuntime(t.settings).runPromise(withRolePool("test-projector")(readSideDeps)), { watchIntervalMs: 60_000 })
  for (let i = 0; i < 2; i++) forecasters.push(await startForecaster(instanceRuntime(t.settings), { quietMs: 300, maxWaitMs: 2_000, fleetQuietMs: 300, fleetMaxWaitMs: 2_000, pollMs: 100, today: () => today }))
})

afterAll(async () => {
  await Promise.all(forecasters.map((f) => f.stop()))
  await projectors?.stop()
  await Promise.all(runtimes.map((r) => r.dispose()))
  if (db) await closeDb(db)
  await t?.dispose()
})

/** Sales every day for `days` days up to yesterday: more at the weekend, a little noise, all deterministic. */
async function sell(kioskId: string, days: number, tag: string) {
  const asKiosk: CommandContext = { actor: { kind: "kiosk", id: kioskId }, correlationId: `sell-${tag}` }
  const sales = Array.from({ length: days }, (_, k) => addDays(TODAY, -days + k)).flatMap((day, k) => {
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())
    return Array.from({ length: weekend ? 3 : 2 }, (_, n) => ({ day, n, amount: 1_000 + ((k * 37 + n * 11) % 9) * 50 }))
  })
  let last = 0
  await t.run(Effect.forEach(sales, (s) => recordPayment({
    kioskId, amount: s.amount, currency: "EUR", occurredAt: `${s.day}T15:0${s.n}:00.000Z`, idempotencyKey: `${tag}-${s.day}-${s.n}`,
  }, asKiosk).pipe(Effect.tap((r) => Effect.sync(() => (last = Math.max(last, r.seq))))), { concurrency: 8, discard: true }))
  return last
}

const stored = (kioskId: string) => db.db.selectFrom("forecasts").selectAll().where("kiosk_id", "=", kioskId).execute()

describe("forecaster", () => {
  it("fits each kiosk and the fleet from the read models, as payments arrive, with offline days missing", { timeout: 120_000 }, async () => {
    const { kiosk: busy } = await t.run(registerKiosk({ name: "Busy", location: "Hall", code: "FC-BUSY-1" }, admin))
    const { kiosk: fresh } = await t.run(registerKiosk({ name: "Fresh", location: "Hall", code: "FC-FRESH-1" }, admin))
    // Three hours down twenty days ago: that day is missing, not a bad day.
    const outageDay = addDays(TODAY, -20)
    await t.run(markKioskOffline(busy.id, `${outageDay}T10:00:00.000Z`, admin))
    await t.run(markKioskOnline(busy.id, `${outageDay}T13:00:00.000Z`, admin))
    await sell(busy.id, 70, "busy")
    await sell(fresh.id, 10, "fresh")

    await vi.waitFor(async () => {
      expect((await stored(busy.id)).map((r) => r.status)).toEqual(["ready"])
      expect((await stored(fresh.id)).map((r) => r.status)).toEqual(["not_enough_history"])
      expect((await stored(FLEET)).map((r) => r.status)).toEqual(["ready"])
    }, { timeout: 60_000, interval: 250 })

    const [row] = await stored(busy.id)
    const forecast = row!.document!
    expect(row).toMatchObject({ currency: "EUR", history_to: addDays(TODAY, -1), observed_days: 69 })
    expect(forecast.history).toMatchObject({ from: addDays(TODAY, -70), to: addDays(TODAY, -1), days: 70, observedDays: 69, missingDays: [outageDay] })
    expect(forecast.daily[0]!.date).toBe(TODAY)
    expect(forecast.daily).toHaveLength(90)
    expect(["ets", "seasonal_naive"]).toContain(forecast.method)
    // The stored forecast is exactly what the model makes of that history: same history, same forecast.
    const history = await readSalesHistory(db.db, busy.id, addDays(TODAY, -MAX_HISTORY_DAYS), addDays(TODAY, -1))
    expect(forecastRecords(history, busy.id, addDays(TODAY, -1))[0]!.document).toEqual(forecast)

    const [short] = await stored(fresh.id)
    expect(short).toMatchObject({ observed_days: 10, need_days: 56, document: null, method: null })
    // The fleet's history runs from the first kiosk's first day, and has the outage filled in, not missing.
    expect((await stored(FLEET))[0]!.document!.history).toMatchObject({ from: addDays(TODAY, -70), observedDays: 70, missingDays: [] })
  })

  it("refits a kiosk when a back-dated payment changes its history, and every kiosk when a new day begins", { timeout: 120_000 }, async () => {
    const { kiosk } = await t.run(registerKiosk({ name: "Late", location: "Hall", code: "FC-LATE-1" }, admin))
    await sell(kiosk.id, 60, "late")
    await vi.waitFor(async () => expect((await stored(kiosk.id))[0]?.status).toBe("ready"), { timeout: 60_000, interval: 250 })
    const before = (await stored(kiosk.id))[0]!

    const { seq } = await t.run(recordPayment({
      kioskId: kiosk.id, amount: 90_000, currency: "EUR", occurredAt: `${addDays(TODAY, -2)}T12:00:00.000Z`, idempotencyKey: "late-big",
    }, { actor: { kind: "kiosk", id: kiosk.id }, correlationId: "late" }))
    await vi.waitFor(async () => expect((await stored(kiosk.id))[0]!.payments_seq).toBeGreaterThanOrEqual(seq), { timeout: 60_000, interval: 250 })
    const after = (await stored(kiosk.id))[0]!
    // Which days of the path move depends on the method (seasonal naive moves only that weekday's): the path must.
    expect(after.document!.daily.map((d) => d.point)).not.toEqual(before.document!.daily.map((d) => d.point))

    // Tomorrow: today joins the history (a day without sales here), for every kiosk and the fleet.
    today = addDays(TODAY, 1)
    await vi.waitFor(async () => {
      const rows = await db.db.selectFrom("forecasts").select(["kiosk_id", "history_to"]).execute()
      expect(rows.length).toBeGreaterThanOrEqual(4)
      expect(rows.every((r) => r.history_to === TODAY)).toBe(true)
      // Nothing left half-done: every queued kiosk is fitted up to its latest payment and today's history.
      const work = await db.db.selectFrom("forecast_work").selectAll().execute()
      expect(work.every((w) => w.fitted_seq >= w.wanted_seq && w.fitted_day === TODAY && w.lease_until === null)).toBe(true)
    }, { timeout: 60_000, interval: 250 })
    expect((await stored(kiosk.id))[0]!.document!.history).toMatchObject({ to: TODAY, days: 61 })
  })
})
