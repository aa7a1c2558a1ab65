// The analytic intervals checked against the models they come from: simulate many futures of the model itself
// and compare the spread of the forecast errors with the formulas, for single days and for sums of days.
import { describe, expect, it } from "vitest"
import { etsModel, type EtsParams, type EtsState } from "./ets.ts"
import type { Fitted, Observation } from "./method.ts"
import { Z95 } from "./numerics.ts"
import { seasonalNaive } from "./seasonalNaive.ts"
import { gaussian, seeded } from "./synthetic.ts"

const PATHS = 6_000
const HORIZON = 28

/** Empirical standard deviation of (simulated − forecast) for day h and for the sum of days 1…h. */
function spreads(model: Fitted, simulate: (random: () => number) => ReadonlyArray<number>, checks: ReadonlyArray<number>) {
  const { daily, cumulative } = model.predict(HORIZON)
  const random = seeded(42)
  const day = checks.map(() => 0)
  const sum = checks.map(() => 0)
  for (let path = 0; path < PATHS; path++) {
    const future = simulate(random)
    checks.forEach((h, i) => {
      day[i]! += (future[h - 1]! - daily[h - 1]!.point) ** 2
      const total = future.slice(0, h).reduce((s, v) => s + v, 0)
      sum[i]! += (total - cumulative[h - 1]!.point) ** 2
    })
  }
  return checks.map((h, i) => ({
    h,
    daily: { simulated: Math.sqrt(day[i]! / PATHS), analytic: (daily[h - 1]!.hi95 - daily[h - 1]!.point) / Z95 },
    total: { simulated: Math.sqrt(sum[i]! / PATHS), analytic: (cumulative[h - 1]!.hi95 - cumulative[h - 1]!.point) / Z95 },
  }))
}

const close = (s: { simulated: number; analytic: number }) => Math.abs(s.simulated / s.analytic - 1)

describe("ETS(A,Ad,A) analytic intervals", () => {
  const params: EtsParams = { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.9 }
  const state: EtsState = { level: 1_000, trend: 5, season: [0, 10, -20, 30, 5, -15, -10] }
  const sigma = 40

  /** The model's own future from `state`, `gap` unobserved days first (their shocks happen, unseen). */
  const simulator = (gap: number) => (random: () => number) => {
    let { level, trend } = state
    const season = [...state.season]
    const ys: Array<number> = []
    for (let t = 0; t < gap + HORIZON; t++) {
      const n = 70 - gap + t
      const e = sigma * gaussian(random)
      const y = level + params.phi * trend + season[n % 7]! + e
      const next = level + params.phi * trend + params.alpha * e
      trend = params.phi * trend + params.beta * e
      season[n % 7] = season[n % 7]! + params.gamma * e
      level = next
      if (t >= gap) ys.push(y)
    }
    return ys
  }

  it.each([0, 3])("match a simulation of the model, for days and sums of days, %i days after the last observation", (gap) => {
    // 70 days, the last `gap` of them missing: the states are those after the last observed day.
    const values: Array<Observation> = Array.from({ length: 70 }, (_, t) => (t < 70 - gap ? 0 : null))
    const model = etsModel(values, params, state, sigma * sigma)
    for (const check of spreads(model, simulator(gap), [1, 7, 8, 28])) {
      expect(close(check.daily), `day ${check.h}`).toBeLessThan(0.05)
      expect(close(check.total), `sum of ${check.h} days`).toBeLessThan(0.05)
    }
  })
})

describe("seasonal naive analytic intervals", () => {
  it("match a simulation of y(t) = y(t−7) + ε, also when the last observation of a weekday is weeks old", () => {
    const random = seeded(7)
    // Three weeks of a random walk per weekday, the last Tuesday and Wednesday missing.
    const values: Array<Observation> = []
    for (let t = 0; t < 21; t++) values.push(t < 7 ? 100 : values[t - 7]! + 10 * gaussian(random))
    values[15] = null
    values[16] = null
    const model = seasonalNaive.fit(values)!
    const sigma = model.params.sigma!
    const simulate = (r: () => number) => {
      const ys = [...values]
      for (let t = 21; t < 21 + HORIZON; t++) {
        // An unobserved past day still moved its weekday's walk on.
        if (t - 7 === 15 || t - 7 === 16) ys[t - 7] = (ys[t - 14] as number) + sigma * gaussian(r)
        ys.push((ys[t - 7] as number) + sigma * gaussian(r))
      }
      return ys.slice(21) as Array<number>
    }
    for (const check of spreads(model, simulate, [1, 2, 7, 9, 28])) {
      expect(close(check.daily), `day ${check.h}`).toBeLessThan(0.05)
      expect(close(check.total), `sum of ${check.h} days`).toBeLessThan(0.05)
    }
  })
})
