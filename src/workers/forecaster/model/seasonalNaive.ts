// Seasonal naive, the baseline: each day is forecast as the same weekday's last observed value. Its intervals are
// analytic: under y(t) = y(t−7) + ε(t), a forecast g weeks past its source day has error variance g·σ², and a sum of
// days counts each future ε as often as it lies on the chains of the days summed.
import { type Estimate, type Fitted, type Method, normalBand, type Observation, WEEK } from "./method.ts"

export const seasonalNaive: Method = {
  name: "seasonal_naive",
  intervals: "analytic",
  fit(values) {
    const last = lastObservedPerWeekday(values)
    if (last.some((index) => index < 0)) return undefined
    const variance = residualVariance(values)
    if (variance === undefined) return undefined
    return fitted(values, last, variance)
  },
}

/** For each position in the week, the index of its last observed day (−1: never observed). */
function lastObservedPerWeekday(values: ReadonlyArray<Observation>): Array<number> {
  const last = Array.from({ length: WEEK }, () => -1)
  values.forEach((y, t) => {
    if (y !== null) last[t % WEEK] = t
  })
  return last
}

/** σ² per week of distance: each residual y(t) − y(source) spans g weeks and so has variance g·σ². */
function residualVariance(values: ReadonlyArray<Observation>): number | undefined {
  const source = Array.from({ length: WEEK }, () => -1)
  let sum = 0
  let count = 0
  values.forEach((y, t) => {
    if (y === null) return
    const s = source[t % WEEK]!
    if (s >= 0) {
      const e = y - values[s]!
      sum += (e * e) / ((t - s) / WEEK)
      count++
    }
    source[t % WEEK] = t
  })
  return count < 2 ? undefined : sum / count
}

function fitted(values: ReadonlyArray<Observation>, last: ReadonlyArray<number>, variance: number): Fitted {
  const n = values.length
  return {
    params: { sigma: Math.sqrt(variance) },
    predict(horizon) {
      const daily: Array<Estimate> = []
      const cumulative: Array<Estimate> = []
      // How often each future day's shock enters the sum so far, and the sum of those counts squared.
      const uses = new Map<number, number>()
      let squares = 0
      let total = 0
      for (let h = 1; h <= horizon; h++) {
        const t = n + h - 1
        const source = last[t % WEEK]!
        const point = values[source]!
        daily.push(normalBand(point, Math.sqrt(variance * ((t - source) / WEEK))))
        for (let j = source + WEEK; j <= t; j += WEEK) {
          const c = uses.get(j) ?? 0
          uses.set(j, c + 1)
          squares += 2 * c + 1
        }
        total += point
        cumulative.push(normalBand(total, Math.sqrt(variance * squares)))
      }
      return { daily, cumulative }
    },
  }
}
