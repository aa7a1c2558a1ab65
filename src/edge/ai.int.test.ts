// /ai/predict end to end on real NATS and Postgres: a kiosk's payments go in over HTTP, the projectors and a
// forecaster run, and the forecast comes out over HTTP — for its operator, not for another; the fleet's for admins
// and auditors; an honest 422 for a kiosk with a few days of history. Then /ai/recommendations: a kiosk that
// went down in its busy hours is told so, in English and Spanish, to its operator only.
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { markKioskOffline, markKioskOnline, systemActor } from "../commands/index.ts"
import { addDays, dayOf, type RunningForecaster, startForecaster } from "../workers/forecaster/index.ts"

const TODAY = dayOf(new Date())
const YESTERDAY = addDays(TODAY, -1)
let sys: EdgeSystem
let forecaster: RunningForecaster
let admin: Session
let auditor: Session
let owner: Session
let stranger: Session
let busy: { id: string }
let quiet: { id: string }
let flaky: { id: string }

/** Sales on each of the last `days` days, more at the weekend, sent by the kiosk itself. */
async function sell(kiosk: { id: string }, deviceToken: string, days: number) {
  const sales = Array.from({ length: days }, (_, k) => addDays(TODAY, k - days)).flatMap((day, k) => {
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())
    return Array.from({ length: weekend ? 4 : 2 }, (_, n) => ({ day, n, amount: 800 + ((k * 13 + n * 7) % 11) * 40 }))
  })
  for (let i = 0; i < sales.length; i += 16) {
    await Promise.all(sales.slice(i, i + 16).map(async (s) => {
      const response = await sys.app.inject({
        method: "POST", url: "/payments", headers: { ...sys.bearer(deviceToken), "idempotency-key": randomUUID() },
        payload: { kiosk_id: kiosk.id, amount: s.amount, currency: "EUR", occurred_at: `${s.day}T1${s.n}:30:00.000Z` },
      })
      if (response.statusCode !== 201) throw new Error(`payment: ${response.body}`)
    }))
  }
}

const predict = (session: Session, query: string) => sys.app.inject({ url: `/ai/predict${query}`, headers: sys.bearer(session.token) })

beforeAll(async () => {
  sys = await startEdgeSystem()
  forecaster = await startForecaster(sys.runtime, { quietMs: 300, maxWaitMs: 2_000, fleetQuietMs: 300, fleetMaxWaitMs: 2_000, pollMs: 100 })
  admin = await sys.userWithRole("admin")
  auditor = await sys.userWithRole("auditor")
  owner = await sys.userWithRole("operator")
  stranger = await sys.userWithRole("operator")
  const a = await sys.registerKiosk(admin, "Busy")
  const b = await sys.registerKiosk(admin, "Quiet")
  const paired = await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(owner.token), payload: { code: await sys.pairingCode(admin, a.kiosk.id) } })
  expect(paired.statusCode).toBe(200)
  const c = await sys.registerKiosk(admin, "Flaky")
  await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(owner.token), payload: { code: await sys.pairingCode(admin, c.kiosk.id) } })
  busy = a.kiosk
  quiet = b.kiosk
  flaky = c.kiosk
  // Down from 10:00 to 12:00 on two recent days: its busiest hours (it sells 10:00–14:00).
  const context = { actor: systemActor("test"), correlationId: "ai-test" }
  for (const back of [-9, -4]) {
    await sys.app.run(markKioskOffline(flaky.id, `${addDays(TODAY, back)}T10:00:00.000Z`, context))
    await sys.app.run(markKioskOnline(flaky.id, `${addDays(TODAY, back)}T12:00:00.000Z`, context))
  }
  await sell(busy, a.deviceToken, 63)
  await sell(quiet, b.deviceToken, 5)
  await sell(flaky, c.deviceToken, 63)
}, 180_000)

afterAll(async () => {
  await forecaster?.stop()
  await sys?.close()
})

describe("GET /ai/predict", () => {
  it("answers a kiosk's operator with the forecast, its intervals, the baseline, the backtest and the history used", async () => {
    const answer = await vi.waitFor(async () => {
      const response = await predict(owner, `?kiosk_id=${busy.id}`)
      expect(response.statusCode, response.body).toBe(200)
      return response.json()
    }, { timeout: 60_000, interval: 300 })
    expect(answer).toMatchObject({ kiosk_id: busy.id, horizon: 30, not_enough_history: [] })
    const [eur] = answer.forecasts
    expect(eur).toMatchObject({
      currency: "EUR",
      history: { from: addDays(TODAY, -63), to: YESTERDAY, days: 63, observed_days: 63, offline_days: [] },
      backtest: { origins: 3, horizon_days: 28 },
      baseline: { method: "seasonal_naive" },
    })
    expect(["ets", "seasonal_naive"]).toContain(eur.method)
    expect(eur.daily).toHaveLength(30)
    expect(eur.daily[0].date).toBe(TODAY)
    for (const e of [eur.total, ...eur.daily, eur.baseline.total]) {
      expect(e.lo95).toBeLessThanOrEqual(e.lo80)
      expect(e.lo80).toBeLessThanOrEqual(e.point)
      expect(e.point).toBeLessThanOrEqual(e.hi80)
      expect(e.hi80).toBeLessThanOrEqual(e.hi95)
    }
    // A month of a kiosk taking a few thousand a day, give or take.
    expect(eur.total.point).toBeGreaterThan(30 * 1_500)
    expect(eur.total.point).toBeLessThan(30 * 5_000)
    expect(eur.backtest.mase).toBeGreaterThan(0)
    expect(eur.backtest.coverage_95).toBeGreaterThanOrEqual(0)

    const week = (await predict(owner, `?kiosk_id=${busy.id}&horizon=7`)).json()
    expect(week.forecasts[0].daily).toHaveLength(7)
    const sum = week.forecasts[0].daily.reduce((s: number, d: { point: number }) => s + d.point, 0)
    expect(Math.abs(week.forecasts[0].total.point - sum)).toBeLessThanOrEqual(7)
  })

  it("keeps a kiosk's forecast to its operator: another operator, or one not assigned the kiosk, is told it does not exist", async () => {
    expect((await predict(stranger, `?kiosk_id=${busy.id}`)).statusCode).toBe(404)
    expect((await predict(owner, `?kiosk_id=${quiet.id}`)).statusCode).toBe(404)
    const fleet = await predict(owner, "")
    expect(fleet.statusCode).toBe(403)
    expect(fleet.json().detail).toMatch(/kiosk_id/)
  })

  it("gives admins and auditors the fleet's forecast per currency", async () => {
    for (const who of [admin, auditor]) {
      const answer = await vi.waitFor(async () => {
        const response = await predict(who, "?horizon=14")
        expect(response.statusCode, response.body).toBe(200)
        return response.json()
      }, { timeout: 60_000, interval: 300 })
      expect(answer).toMatchObject({ kiosk_id: null, horizon: 14 })
      expect(answer.forecasts[0]).toMatchObject({ currency: "EUR", history: { from: addDays(TODAY, -63), to: YESTERDAY } })
      expect(answer.forecasts[0].daily).toHaveLength(14)
    }
  })

  it("refuses a made-up number for a kiosk with five days of history: 422 not-enough-history", async () => {
    const response = await predict(admin, `?kiosk_id=${quiet.id}`)
    expect(response.statusCode).toBe(422)
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({
      type: "https://admin-kiosk.dev/problems/not-enough-history",
      status: 422,
      detail: "not enough history (5 days, need 56)",
    })
  })
})

describe("GET /ai/recommendations", () => {
  const recommendations = async (session: Session, query = "") => {
    const response = await sys.app.inject({ url: `/ai/recommendations${query}`, headers: sys.bearer(session.token) })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().items as Array<{ kiosk_id: string; kind: string; reason: { en: string; es: string }; numbers: Record<string, unknown> }>
  }

  it("tells the operator that a kiosk was down in its busy hours, with the reason in words and the numbers", async () => {
    const items = await vi.waitFor(async () => {
      const found = await recommendations(owner, `?kiosk_id=${flaky.id}`)
      expect(found.map((r) => r.kind)).toContain("downtime_busy_hours")
      return found
    }, { timeout: 60_000, interval: 300 })
    const downtime = items.find((r) => r.kind === "downtime_busy_hours")!
    expect(downtime).toMatchObject({ kiosk_id: flaky.id, numbers: { offline_minutes_busy_hours: 240, offline_minutes: 240, busy_hours: [10, 11] } })
    expect(downtime.reason.en).toContain("offline for 4 h during its busy hours (10:00–12:00 UTC)")
    expect(downtime.reason.es).toContain("sin conexión 4 h en sus horas de más venta (10:00–12:00 UTC)")
    // The steady kiosk had no outage: nothing of the kind said about it.
    expect((await recommendations(owner, `?kiosk_id=${busy.id}`)).map((r) => r.kind)).not.toContain("downtime_busy_hours")
  })

  it("keeps them to the kiosk's operator; admins and auditors see the fleet's", async () => {
    expect(await recommendations(stranger)).toEqual([])
    expect((await sys.app.inject({ url: `/ai/recommendations?kiosk_id=${flaky.id}`, headers: sys.bearer(stranger.token) })).statusCode).toBe(404)
    const mine = new Set((await recommendations(owner)).map((r) => r.kiosk_id))
    expect([...mine].every((id) => id === busy.id || id === flaky.id)).toBe(true)
    for (const who of [admin, auditor]) expect((await recommendations(who)).map((r) => r.kiosk_id)).toContain(flaky.id)
  })
})
