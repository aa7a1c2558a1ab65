import { describe, expect, it } from "vitest"
import { fleetSeries } from "./fleet.ts"
import { MAX_HISTORY_DAYS, offlineDays, seriesByCurrency } from "./history.ts"

describe("offline days", () => {
  it("counts a day once the kiosk was down 30 minutes of it, summed over its outages, split at midnight", () => {
    const days = offlineDays([
      { from: "2026-03-02T10:00:00Z", to: "2026-03-02T10:29:00Z" }, // 29 min: a blip
      { from: "2026-03-03T10:00:00Z", to: "2026-03-03T10:20:00Z" }, // 20 + 10 min the same day: counts
      { from: "2026-03-03T18:00:00Z", to: "2026-03-03T18:10:00Z" },
      { from: "2026-03-04T23:40:00Z", to: "2026-03-05T00:20:00Z" }, // 20 min either side of midnight: neither
      { from: "2026-03-06T23:00:00Z", to: "2026-03-08T01:00:00Z" }, // 6th (1 h), 7th (all day), 8th (1 h)
    ], "2026-03-01", "2026-03-10")
    expect([...days].sort()).toEqual(["2026-03-03", "2026-03-06", "2026-03-07", "2026-03-08"])
  })

  it("runs a still-open outage to the end of the range, and ignores what falls outside it", () => {
    expect([...offlineDays([{ from: "2026-03-08T12:00:00Z", to: null }], "2026-03-01", "2026-03-10")].sort())
      .toEqual(["2026-03-08", "2026-03-09", "2026-03-10"])
    expect(offlineDays([{ from: "2026-02-01T00:00:00Z", to: "2026-02-03T00:00:00Z" }], "2026-03-01", "2026-03-10").size).toBe(0)
  })
})

describe("series by currency", () => {
  it("starts each currency at its first takings, fills days without sales with 0, and offline days with null", () => {
    const series = seriesByCurrency([
      { day: "2026-03-02", currency: "EUR", net: 1_000 },
      { day: "2026-03-05", currency: "EUR", net: 700 }, // offline that day: partial takings read as missing
      { day: "2026-03-04", currency: "USD", net: 300 },
    ], [{ from: "2026-03-05T09:00:00Z", to: "2026-03-05T12:00:00Z" }], "2026-03-06")
    expect([...series.keys()]).toEqual(["EUR", "USD"])
    expect(series.get("EUR")).toEqual({ from: "2026-03-02", values: [1_000, 0, 0, null, 0] })
    expect(series.get("USD")).toEqual({ from: "2026-03-04", values: [300, null, 0] })
  })

  it(`keeps the last ${MAX_HISTORY_DAYS} days, and leaves out today and later`, () => {
    const series = seriesByCurrency([
      { day: "2024-03-06", currency: "EUR", net: 5 }, // 731 days back: left out
      { day: "2024-03-07", currency: "EUR", net: 8 },
      { day: "2026-03-01", currency: "EUR", net: 9 },
      { day: "2026-03-07", currency: "EUR", net: 4 },
    ], [], "2026-03-06")
    const eur = series.get("EUR")!
    expect(eur.values).toHaveLength(MAX_HISTORY_DAYS)
    expect(eur.values.at(-6)).toBe(9)
    expect(eur.from).toBe("2024-03-07")
    expect(eur.values.reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(17)
  })
})

describe("fleet series", () => {
  it("sums kiosks day by day, filling a kiosk's offline day with its last same weekday", () => {
    const fleet = fleetSeries([
      { from: "2026-03-01", values: [10, 11, 12, 13, 14, 15, 16, 20, null] },
      { from: "2026-03-03", values: [1, 1, 1, 1, 1, 1, 1] },
    ])
    // 9 March: kiosk 1 offline → what it took on 2 March (11); kiosk 2 took 1.
    expect(fleet).toEqual({ from: "2026-03-01", values: [10, 11, 13, 14, 15, 16, 17, 21, 12] })
  })

  it("leaves a day missing when an offline kiosk has no earlier same weekday to stand in for it", () => {
    expect(fleetSeries([{ from: "2026-03-01", values: [null, 5] }, { from: "2026-03-01", values: [3, 3] }]))
      .toEqual({ from: "2026-03-01", values: [null, 8] })
    expect(fleetSeries([])).toBeUndefined()
  })
})
