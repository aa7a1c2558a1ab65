import { describe, expect, it } from "vitest"
import type { KioskFacts } from "./facts.ts"
import { recommend } from "./rules.ts"
import { binomialTail, poissonTail } from "./statistics.ts"
import { chance, hourRanges } from "./words.ts"

/** A kiosk with nothing to say about it: sells through the day and the week, up, in line with its forecast and peers. */
const hourly = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 22 ? 10_000 + (h % 3) * 1_000 : 0))
const quiet: KioskFacts = {
  kioskId: "ksk_quiet0001", kioskName: "Lobby", currency: "EUR",
  window: { from: "2026-02-01", to: "2026-02-28" },
  observedDays: 28, net: 28 * 50_000, payments: 1_400, refunds: 10, refundedAmount: 9_000,
  offlineMinutesByHour: Array.from({ length: 24 }, () => 0),
  takingsByHour: hourly,
  takingsByWeekday: [90, 95, 100, 100, 120, 140, 110].map((v) => v * 1_000),
  profilePayments: 2_800,
  recent: Array.from({ length: 7 }, (_, k) => ({ date: `2026-02-2${k + 2}`, actual: 50_000, point: 50_000, lo80: 40_000 })),
  fleet: { payments: 20_000, refunds: 150 },
  peers: { place: "Madrid", averageDays: [48_000, 55_000] },
}

const kinds = (facts: KioskFacts) => recommend(facts).map((r) => r.kind)

describe("recommendations", () => {
  it("say nothing when there is nothing to say", () => {
    expect(recommend(quiet)).toEqual([])
  })

  it("downtime during the kiosk's busy hours, with the estimated takings lost", () => {
    const offline = quiet.offlineMinutesByHour.map((_, h) => (h === 14 ? 50 : h === 13 ? 20 : h === 3 ? 300 : 0))
    const [r] = recommend({ ...quiet, offlineMinutesByHour: offline })
    expect(r).toMatchObject({ kind: "downtime_busy_hours", currency: "EUR", numbers: { offline_minutes_busy_hours: 70, offline_minutes: 370 } })
    // Half the takings come from the best hours: the five at 12,000, then two at 11,000 (earliest first).
    expect(r!.numbers.busy_hours).toEqual([8, 10, 11, 13, 14, 17, 20])
    // 50 min of hour 14 and 20 of hour 13 at their average minute over 56 days; night-time minutes cost nothing.
    expect(r!.numbers.estimated_lost).toBe(Math.round((50 * 12_000 + 20 * 11_000) / (56 * 60)))
    expect(r!.reason.en).toContain("offline for 1 h 10 min during its busy hours (08:00–09:00, 10:00–12:00, 13:00–15:00, 17:00–18:00, 20:00–21:00 UTC)")
    expect(r!.reason.es).toContain("sin conexión 1 h 10 min en sus horas de más venta")
    // Five hours offline at night, when it sells nothing, is not a reason.
    expect(kinds({ ...quiet, offlineMinutesByHour: offline.map((m, h) => (h === 3 ? m : 0)) })).toEqual([])
  })

  it("takings below the forecast interval on four or more of the last seven days", () => {
    const recent = quiet.recent.map((d, k) => (k < 4 ? { ...d, actual: 30_000 } : d))
    const [r] = recommend({ ...quiet, recent })
    expect(r).toMatchObject({ kind: "below_forecast", numbers: { days_below: 4, days_checked: 7, actual: 4 * 30_000 + 3 * 50_000, forecast: 7 * 50_000 } })
    expect(r!.numbers.chance).toBeCloseTo(binomialTail(4, 7, 0.1), 12)
    expect(r!.reason.en).toContain("less than 1 in 200 times")
    expect(kinds({ ...quiet, recent: recent.map((d, k) => (k === 0 ? { ...d, actual: 50_000 } : d)) })).toEqual([])
  })

  it("refunds unusually high against the rest of the fleet (and not merely above it)", () => {
    const [r] = recommend({ ...quiet, refunds: 40, refundedAmount: 36_000 })
    expect(r).toMatchObject({ kind: "refunds_high", numbers: { refunds: 40, payments: 1_400, fleet_rate: 0.0075 } })
    expect(r!.reason.es).toContain("40 devoluciones en 1400 pagos")
    // Twice the fleet's rate, but few enough to be luck: nothing.
    expect(kinds({ ...quiet, payments: 100, refunds: 3 })).toEqual([])
  })

  it("one weekday, or one hour, carrying the takings", () => {
    const saturday = [10, 10, 10, 10, 20, 100, 20].map((v) => v * 1_000)
    const [r] = recommend({ ...quiet, takingsByWeekday: saturday })
    expect(r).toMatchObject({ kind: "weekday_concentration", numbers: { weekday: 5 } })
    expect(r!.reason.en).toMatch(/^Saturdays bring 56% of Lobby's takings/)
    expect(r!.reason.es).toMatch(/^Los sábados suponen el 56 %/)
    const lunch = hourly.map((v, h) => (h === 13 ? v * 6 : v))
    expect(kinds({ ...quiet, takingsByHour: lunch })).toEqual(["hour_concentration"])
  })

  it("a kiosk far below comparable kiosks at its place", () => {
    const [r] = recommend({ ...quiet, net: 28 * 20_000 })
    expect(r).toMatchObject({ kind: "below_peers", numbers: { average_day: 20_000, peers_median_day: 51_500, peers: 2, place: "Madrid" } })
    expect(r!.reason.en).toContain("takes 200.00 EUR on an average day, 39% of the 515.00 EUR of the 2 other kiosks in Madrid")
    expect(kinds({ ...quiet, net: 28 * 20_000, peers: { place: "Madrid", averageDays: [] } })).toEqual([])
  })
})

describe("their words and numbers", () => {
  it("tails and odds", () => {
    expect(poissonTail(0, 3)).toBe(1)
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12)
    expect(binomialTail(7, 7, 0.5)).toBeCloseTo(1 / 128, 12)
    expect(chance(0.0026, "en")).toBe("less than 1 in 200")
    expect(chance(0.0004, "es")).toBe("menos de 1 entre 2.000")
    expect(hourRanges([19, 12, 13, 23])).toBe("12:00–14:00, 19:00–20:00, 23:00–00:00")
  })
})
