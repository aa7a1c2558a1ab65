// The forecaster's must-show properties, on seeded synthetic series whose structure we know.
import { describe, expect, it } from "vitest"
import { type Forecast, forecastSeries, type NotEnoughHistory, notEnoughHistoryMessage } from "./index.ts"
import { seasonalSeries, sparseSeries, WEEKLY, withOutage } from "./synthetic.ts"

const SEEDS = [1, 2, 3, 4, 5, 6]

function forecast(...args: Parameters<typeof forecastSeries>): Forecast {
  const result = forecastSeries(...args)
  if (result.kind !== "forecast") throw new Error(notEnoughHistoryMessage(result.days, result.need))
  return result
}

/** Coverage pooled over several series: held-out days inside the band, over all days held out. */
function pooled(forecasts: ReadonlyArray<Forecast>) {
  const heldOut = forecasts.reduce((s, f) => s + f.backtest.heldOut, 0)
  const share = (key: "coverage80" | "coverage95") => forecasts.reduce((s, f) => s + f.backtest[key] * f.backtest.heldOut, 0) / heldOut
  return { heldOut, coverage80: share("coverage80"), coverage95: share("coverage95") }
}

describe("forecastSeries", () => {
  it("on weekly-seasonal series with a trend, picks ETS and beats seasonal naive (MASE < 1)", { timeout: 60_000 }, () => {
    for (const seed of SEEDS) {
      const result = forecast(seasonalSeries({ days: 365, seed, slope: 60 }))
      expect(result.method, `seed ${seed}`).toBe("ets")
      expect(result.backtest.mase, `seed ${seed}`).toBeLessThan(1)
      expect(result.backtest.mase, `seed ${seed}`).toBeLessThan(result.backtest.baselineMase)
      // The damped trend carries the growth on, conservatively (φ ≤ 0.98): the next four weeks land near what the
      // generator will produce, a little under rather than over.
      const truth = Array.from({ length: 28 }, (_, k) => (60_000 + 60 * (365 + k)) * WEEKLY[(365 + k) % 7]!).reduce((s, v) => s + v, 0)
      expect(Math.abs(result.cumulative[27]!.point / truth - 1), `seed ${seed}`).toBeLessThan(0.06)
    }
  })

  it("its 95% interval covers 90–99% of held-out days, and its 80% interval 70–90%, over many origins", { timeout: 120_000 }, () => {
    const dense = pooled(SEEDS.map((seed) => forecast(seasonalSeries({ days: 365, seed, slope: 30 }), { backtest: { maxOrigins: 40 } })))
    expect(dense.heldOut).toBeGreaterThan(6 * 39 * 28)
    expect(dense.coverage95).toBeGreaterThanOrEqual(0.9)
    expect(dense.coverage95).toBeLessThanOrEqual(0.99)
    expect(dense.coverage80).toBeGreaterThanOrEqual(0.7)
    expect(dense.coverage80).toBeLessThanOrEqual(0.9)

    const sparse = pooled(SEEDS.map((seed) => forecast(sparseSeries({ days: 365, seed, p: 0.3, size: 4_000 }), { backtest: { maxOrigins: 40 } })))
    expect(sparse.coverage95).toBeGreaterThanOrEqual(0.9)
    expect(sparse.coverage95).toBeLessThanOrEqual(0.99)
  })

  it("sends intermittent series (many days without sales) to the sparse method, TSB", { timeout: 30_000 }, () => {
    for (const seed of SEEDS) {
      const result = forecast(sparseSeries({ days: 200, seed, p: 0.25, size: 3_000 }))
      expect(result.history.demandInterval, `seed ${seed}`).toBeGreaterThanOrEqual(1.32)
      expect(result.method, `seed ${seed}`).toBe("tsb")
      expect(result.intervals).toBe("empirical")
      // Intervals of a day with no sales three days in four start at zero.
      expect(result.daily[0]!.lo80).toBe(0)
      expect(result.daily[0]!.hi95).toBeGreaterThan(result.daily[0]!.point)
    }
  })

  it("is not dragged down by an outage that is marked missing, at the end of the history or in the middle", { timeout: 60_000 }, () => {
    for (const seed of SEEDS.slice(0, 3)) {
      const clean = forecast(seasonalSeries({ days: 300, seed }))
      const total = (f: Forecast) => f.cumulative[29]!.point
      const width = (f: Forecast) => f.cumulative[29]!.hi95 - f.cumulative[29]!.lo95

      // Offline for the last ten days: missing keeps the forecast, zeros would sink it.
      const endMissing = forecast(withOutage(seasonalSeries({ days: 300, seed }), 290, 10, null))
      const endZero = forecast(withOutage(seasonalSeries({ days: 300, seed }), 290, 10, 0))
      expect(Math.abs(total(endMissing) / total(clean) - 1), `seed ${seed}`).toBeLessThan(0.03)
      expect(total(endZero) / total(clean), `seed ${seed}`).toBeLessThan(0.8)
      expect(endMissing.history.missingDays).toHaveLength(10)
      expect(endMissing.history.missingDays[0]).toBe("2025-10-23")

      // Three weeks offline a month ago: the fit and its uncertainty barely change; as zeros they would blow up.
      const midMissing = forecast(withOutage(seasonalSeries({ days: 300, seed }), 250, 21, null))
      const midZero = forecast(withOutage(seasonalSeries({ days: 300, seed }), 250, 21, 0))
      expect(Math.abs(total(midMissing) / total(clean) - 1)).toBeLessThan(0.03)
      expect(width(midMissing) / width(clean)).toBeLessThan(1.25)
      expect(width(midZero) / width(clean)).toBeGreaterThan(3)
    }
  })

  it("answers 'not enough history (N days, need 56)' below the minimum, counting observed days only", () => {
    const short = forecastSeries(seasonalSeries({ days: 40, seed: 1 }))
    expect(short).toEqual({ kind: "not-enough-history", days: 40, need: 56 } satisfies NotEnoughHistory)
    expect(notEnoughHistoryMessage(40, 56)).toBe("not enough history (40 days, need 56)")
    // Seventy days, twenty of them offline: fifty observed.
    expect(forecastSeries(withOutage(seasonalSeries({ days: 70, seed: 1 }), 30, 20, null))).toMatchObject({ kind: "not-enough-history", days: 50 })
    expect(forecastSeries(seasonalSeries({ days: 56, seed: 1 })).kind).toBe("forecast")
  })

  it("is deterministic and answers in whole minor units, with nested intervals", { timeout: 30_000 }, () => {
    const series = seasonalSeries({ days: 200, seed: 9, slope: 20 })
    const a = forecast(series, { horizon: 90 })
    expect(JSON.stringify(forecast(series, { horizon: 90 }))).toBe(JSON.stringify(a))
    expect(a.daily).toHaveLength(90)
    expect(a.daily[0]!.date).toBe("2025-07-25")
    for (const e of [...a.daily, ...a.cumulative, ...a.baseline.daily, ...a.baseline.cumulative]) {
      for (const v of [e.point, e.lo80, e.hi80, e.lo95, e.hi95]) expect(Number.isInteger(v)).toBe(true)
      expect(e.lo95).toBeLessThanOrEqual(e.lo80)
      expect(e.lo80).toBeLessThanOrEqual(e.point)
      expect(e.point).toBeLessThanOrEqual(e.hi80)
      expect(e.hi80).toBeLessThanOrEqual(e.hi95)
    }
  })

  it("gives seasonal naive as the baseline: last week's same day", () => {
    const series = seasonalSeries({ days: 100, seed: 4 })
    const result = forecast(series)
    const lastWeek = series.values.slice(-7)
    expect(result.baseline.daily.slice(0, 14).map((d) => d.point)).toEqual([...lastWeek, ...lastWeek])
    expect(result.backtest.candidates.map((c) => c.method)).toEqual(["seasonal_naive", "ets"])
  })
})
