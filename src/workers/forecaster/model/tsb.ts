// TSB (Teunter, Syntetos & Babai, 2011) for intermittent sales: the probability of a day with sales and the size of
// such a day are smoothed apart, and the forecast is their product. Unlike Croston's method the probability is
// updated every day, so a kiosk that stops selling sees its forecast decay instead of freezing. α (size) and β
// (probability) minimise the in-sample one-step squared error. The method has no error model of its own, so its
// intervals are empirical: a day is zero with probability 1 − p, else drawn from the observed sale-day sizes
// (rescaled to the current size level), and its interval is that mixture's quantiles; a sum of days uses the
// mixture's variance (days independent) with a normal approximation.
import { type Estimate, type Fitted, type Method, normalBand, type Observation } from "./method.ts"
import { logistic, logit, mean } from "./numerics.ts"
import { minimiseFrom } from "./optimise.ts"

export interface TsbParams {
  readonly alpha: number
  readonly beta: number
}

const EDGE = 0.01
const STARTS = [[0.1, 0.1], [0.3, 0.05], [0.05, 0.3]].map((p) => p.map(logit))

export const tsb: Method = {
  name: "tsb",
  intervals: "empirical",
  fit(values) {
    const observed = values.filter((y): y is number => y !== null)
    const demand = observed.filter((y) => y !== 0)
    if (demand.length === 0 || observed.length < 2) return undefined
    const init = { probability: demand.length / observed.length, size: mean(demand) }
    const objective = (x: ReadonlyArray<number>) => {
      const run = filter(values, paramsOf(x), init)
      return run.residuals.reduce((s, e) => s + e * e, 0) / run.residuals.length
    }
    const params = paramsOf(minimiseFrom(objective, STARTS, { maxIterations: 200 }).x)
    const run = filter(values, params, init)
    return fitted(params, run.probability, run.size, demand)
  },
}

const paramsOf = (x: ReadonlyArray<number>): TsbParams => ({
  alpha: EDGE + (1 - 2 * EDGE) * logistic(x[0]!),
  beta: EDGE + (1 - 2 * EDGE) * logistic(x[1]!),
})

function filter(values: ReadonlyArray<Observation>, p: TsbParams, init: { probability: number; size: number }) {
  let probability = init.probability
  let size = init.size
  const residuals: Array<number> = []
  for (const y of values) {
    if (y === null) continue
    residuals.push(y - probability * size)
    const sold = y !== 0
    probability += p.beta * ((sold ? 1 : 0) - probability)
    if (sold) size += p.alpha * (y - size)
  }
  return { probability, size, residuals }
}

function fitted(params: TsbParams, probability: number, size: number, sizes: ReadonlyArray<number>): Fitted {
  // The observed sale days, moved to today's size level (unless their mean gives no level to scale from).
  const typical = mean(sizes)
  const scale = typical > 0 && size > 0 ? size / typical : 1
  const sorted = sizes.map((s) => s * scale).sort((a, b) => a - b)
  // "0 with probability 1 − p, else one of the sale-day sizes": a weighted sample, read off by cumulative weight.
  const mixture = [{ value: 0, weight: 1 - probability }, ...sorted.map((value) => ({ value, weight: probability / sorted.length }))]
    .sort((a, b) => a.value - b.value)
  const q = (level: number) => {
    let weight = 0
    for (const point of mixture) {
      weight += point.weight
      if (weight >= level) return point.value
    }
    return mixture[mixture.length - 1]!.value
  }
  const point = probability * size
  const secondMoment = sorted.reduce((s, v) => s + v * v, 0) / sorted.length
  const dayVariance = Math.max(0, probability * secondMoment - point * point)
  const day: Estimate = { point, lo80: q(0.1), hi80: q(0.9), lo95: q(0.025), hi95: q(0.975) }
  return {
    params: { ...params, probability, size },
    predict(horizon) {
      const daily = Array.from({ length: horizon }, () => day)
      const cumulative = Array.from({ length: horizon }, (_, k) => normalBand(point * (k + 1), Math.sqrt(dayVariance * (k + 1))))
      return { daily, cumulative }
    },
  }
}
