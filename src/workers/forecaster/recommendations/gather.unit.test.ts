import { describe, expect, it } from "vitest"
import type { RecommendationInputs, SalesDay } from "../../../projections/index.ts"
import { kioskFacts, placeOf } from "./gather.ts"

const END = "2026-03-28" // a Saturday; the window is 1–28 March
const day = (kiosk_id: string, d: string, gross: number): SalesDay =>
  ({ kiosk_id, day: d, currency: "EUR", net: gross, gross, payment_count: 1, refund_count: 0, refunds: 0 })

const inputs: RecommendationInputs = {
  kiosks: [
    { kiosk_id: "ksk_a0000001", name: "Atocha", location: "Madrid · Atocha", status: "online" },
    { kiosk_id: "ksk_b0000001", name: "Sol", location: "madrid, Sol", status: "online" },
    { kiosk_id: "ksk_c0000001", name: "New", location: "Madrid · Nuevos Ministerios", status: "online" },
    { kiosk_id: "ksk_d0000001", name: "Sants", location: "Barcelona · Sants", status: "online" },
  ],
  windowTotals: [
    { kiosk_id: "ksk_a0000001", currency: "EUR", net: 28_000, payments: 280, refunds: 2, refunded: 500, first_day: "2026-03-01" },
    { kiosk_id: "ksk_b0000001", currency: "EUR", net: 52_000, payments: 300, refunds: 4, refunded: 900, first_day: "2026-03-01" },
    // Started selling ten days ago: too few days for a fair average.
    { kiosk_id: "ksk_c0000001", currency: "EUR", net: 90_000, payments: 90, refunds: 0, refunded: 0, first_day: "2026-03-19" },
    { kiosk_id: "ksk_d0000001", currency: "EUR", net: 99_000, payments: 900, refunds: 10, refunded: 4_000, first_day: "2026-03-01" },
  ],
  windowOutages: [
    { kiosk_id: "ksk_a0000001", offline_from: "2026-03-10T12:30:00.000Z", back_at: "2026-03-10T14:00:00.000Z" },
    // Sol was down two whole days: its average is over the 26 it was up.
    { kiosk_id: "ksk_b0000001", offline_from: "2026-03-05T00:00:00.000Z", back_at: "2026-03-07T00:00:00.000Z" },
  ],
  takingsByHour: [{ currency: "EUR", hour: 13, takings: 5_000, payments: 40 }, { currency: "EUR", hour: 18, takings: 3_000, payments: 30 }],
}

describe("kiosk facts", () => {
  it("gather the window, the profile, the fleet's refunds and the peers at the same place", () => {
    const days = [day("ksk_a0000001", "2026-03-21", 700), day("ksk_a0000001", "2026-03-28", 300), day("ksk_a0000001", "2026-01-01", 999)]
    const outages = [{ from: "2026-03-10T12:30:00.000Z", to: "2026-03-10T14:00:00.000Z" }]
    const [facts] = kioskFacts({ kioskId: "ksk_a0000001", historyEnd: END, days, outages, inputs, recent: new Map() })
    expect(facts).toMatchObject({
      kioskName: "Atocha", currency: "EUR", window: { from: "2026-03-01", to: END },
      observedDays: 27, net: 28_000, payments: 280, refunds: 2, refundedAmount: 500, profilePayments: 70,
      fleet: { payments: 1_290, refunds: 14 },
      peers: { place: "Madrid", averageDays: [2_000] },
    })
    expect(facts!.offlineMinutesByHour[12]).toBe(30)
    expect(facts!.offlineMinutesByHour[13]).toBe(60)
    expect(facts!.takingsByHour[13]).toBe(5_000)
    // Both Saturdays (weekday 5) of the profile; the January day is outside it.
    expect(facts!.takingsByWeekday).toEqual([0, 0, 0, 0, 0, 1_000, 0])
  })

  it("know a kiosk's place as the first part of its location", () => {
    expect(placeOf("Madrid · Atocha")).toBe("Madrid")
    expect(placeOf("Bilbao, Abando")).toBe("Bilbao")
    expect(placeOf("Hall 2")).toBe("Hall 2")
    expect(kioskFacts({ kioskId: "ksk_gone0001", historyEnd: END, days: [], outages: [], inputs, recent: new Map() })).toEqual([])
  })
})
