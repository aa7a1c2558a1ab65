import { describe, expect, it } from "vitest"
import { ApiError } from "../api/problem.ts"
import type { Recommendation } from "../api/types.ts"
import { finite, monthEstimate, monthSpan, notEnoughHistoryOf } from "./forecast.ts"
import { byKiosk } from "./recommendations.ts"

const problem = (type: string, status: number, detail: string) =>
  new ApiError({ type: `https://admin-kiosk.dev/problems/${type}`, title: "t", status, detail })

describe("forecast helpers", () => {
  it("reads the numbers of the not-enough-history refusal, and nothing from another problem", () => {
    expect(notEnoughHistoryOf(problem("not-enough-history", 422, "not enough history (12 days, need 56)"))).toEqual({ days: 12, need: 56 })
    expect(notEnoughHistoryOf(problem("not-ready", 503, "not enough history (12 days, need 56)"))).toBeUndefined()
    expect(notEnoughHistoryOf(new Error("not enough history (12 days, need 56)"))).toBeUndefined()
  })

  it("splits the UTC month at today: the days taken, and the forecast's horizon to the month's end", () => {
    expect(monthSpan(new Date("2026-12-07T18:00:00Z"))).toEqual({ from: "2026-12-01", to: "2026-12-31", yesterday: "2026-12-06", daysLeft: 25 })
    expect(monthSpan(new Date("2027-02-28T00:10:00Z"))).toEqual({ from: "2027-02-01", to: "2027-02-28", yesterday: "2027-02-27", daysLeft: 1 })
    // On the 1st nothing is taken yet: "yesterday" lies in the month before.
    expect(monthSpan(new Date("2026-12-01T09:00:00Z"))).toMatchObject({ yesterday: "2026-11-30", daysLeft: 31 })
  })

  it("adds what was taken to the forecast of the days left, intervals included", () => {
    const total = { point: 1_000, lo80: 800, hi80: 1_200, lo95: 700, hi95: 1_300 }
    expect(monthEstimate({ total }, 500)).toEqual({ taken: 500, point: 1_500, lo80: 1_300, hi80: 1_700, lo95: 1_200, hi95: 1_800 })
  })

  it("keeps a backtest figure only when it is a finite number", () => {
    expect([finite(0.8), finite("Infinity"), finite("NaN"), finite(Number.NaN)]).toEqual([0.8, undefined, undefined, undefined])
  })

  it("groups recommendations by kiosk in the order sent", () => {
    const rec = (kiosk: string, kind: Recommendation["kind"]) => ({ kiosk_id: kiosk, kiosk_name: `K ${kiosk}`, kind }) as Recommendation
    const groups = byKiosk([rec("a", "below_peers"), rec("a", "refunds_high"), rec("b", "below_forecast")])
    expect(groups.map((g) => [g.kioskId, g.kioskName, g.items.map((i) => i.kind)])).toEqual([
      ["a", "K a", ["below_peers", "refunds_high"]], ["b", "K b", ["below_forecast"]],
    ])
  })
})
