import { describe, expect, it } from "vitest"
import type { DailySales } from "../api/types.ts"
import { dailySeries, lastDays, totalsByCurrency } from "./series.ts"

const row = (date: string, currency: DailySales["currency"], net: number, count = 1): DailySales => ({ date, currency, gross: net, refunds: 0, net, count })

describe("sales series", () => {
  it("lists the last N UTC days, oldest first, across a month end", () => {
    expect(lastDays(3, new Date("2026-12-01T23:30:00Z"))).toEqual(["2026-11-29", "2026-11-30", "2026-12-01"])
  })
  it("sums per currency, largest first", () => {
    expect(totalsByCurrency([row("2026-11-28", "EUR", 100), row("2026-11-27", "EUR", 50, 2), row("2026-11-28", "USD", 900)])).toEqual([
      { currency: "USD", net: 900, gross: 900, refunds: 0, count: 1 },
      { currency: "EUR", net: 150, gross: 150, refunds: 0, count: 3 },
    ])
  })
  it("fills the days without sales with zero, per currency", () => {
    const days = ["2026-11-26", "2026-11-27", "2026-11-28"]
    expect(dailySeries([row("2026-11-28", "EUR", 100), row("2026-11-26", "USD", 5)], "EUR", days)).toEqual([0, 0, 100])
  })
})
