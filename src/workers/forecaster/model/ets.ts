// Holt–Winters with a damped trend and weekly seasonality, in its state-space form ETS(A,Ad,A) (Hyndman et al.,
// "Forecasting with Exponential Smoothing", 2008; fpp3 §8). One-step error e(t) = y(t) − (ℓ + φb + s(t−7));
//   ℓ ← ℓ + φb + αe,   b ← φb + βe,   s(t) ← s(t−7) + γe.
// A missing day updates the states with e = 0 (they carry on as forecast). α, β, γ, φ minimise the in-sample
// one-step squared error (Nelder–Mead from fixed starting points); initial states come from a regression on the
// first weeks. Intervals are analytic: the h-step error is Σ c(i)·ε with c(0) = 1, c(j) = α + β(φ+…+φ^j) + γ·[7 | j].
import { type Estimate, type Fitted, type Method, normalBand, type Observation, WEEK } from "./method.ts"
import { logistic, logit } from "./numerics.ts"
import { minimiseFrom } from "./optimise.ts"

export interface EtsParams {
  readonly alpha: number
  readonly beta: number
  readonly gamma: number
  readonly phi: number
}

export interface EtsState {
  readonly level: number
  readonly trend: number
  /** Seasonal states by position in the week (index t mod 7 of the series). */
  readonly season: ReadonlyArray<number>
}

/** Damping bounds as in the forecast package: φ ≤ 0.98 keeps long horizons from running away with the trend. */
const PHI_MIN = 0.8
const PHI_MAX = 0.98
const EDGE = 1e-4
/** Parameters estimated: four smoothing ones, level, trend and six free seasonal states. */
const ESTIMATED = 13
/** Weeks the initial states are estimated from (fewer when the series is shorter). */
const INIT_WEEKS = 4

export const ets: Method = {
  name: "ets",
  intervals: "analytic",
  fit(values) {
    const init = initialState(values)
    if (init === undefined) return undefined
    const observed = values.filter((y) => y !== null).length
    const objective = (x: ReadonlyArray<number>) => {
      const run = filter(values, paramsOf(x), init)
      return run.sse / run.observed
    }
    const best = minimiseFrom(objective, STARTS, { maxIterations: 400 })
    const params = paramsOf(best.x)
    const run = filter(values, params, init)
    const variance = run.sse / Math.max(1, observed - ESTIMATED)
    return etsModel(values, params, run.state, variance)
  },
}

/** Unconstrained x → parameters inside their bounds (0 < β < α < 1, 0 < γ < 1 − α, φ in [0.8, 0.98]). */
function paramsOf(x: ReadonlyArray<number>): EtsParams {
  const alpha = EDGE + (1 - 2 * EDGE) * logistic(x[0]!)
  return {
    alpha,
    beta: alpha * logistic(x[1]!),
    gamma: (1 - alpha) * logistic(x[2]!),
    phi: PHI_MIN + (PHI_MAX - PHI_MIN) * logistic(x[3]!),
  }
}

/** (α, β/α, γ/(1−α), position of φ in its range): a responsive, a smooth and a middle start. */
const STARTS = [[0.2, 0.1, 0.1, 0.5], [0.5, 0.05, 0.3, 0.9], [0.05, 0.3, 0.05, 0.2]].map((p) => p.map(logit))

/**
 * Level and trend by least squares on the first weeks' observed days, seasonal states as the mean detrended value
 * of each weekday (centred to sum to zero), then level and trend again on the deseasonalised days. Undefined
 * when those weeks leave a weekday unobserved or fewer than two weeks of data.
 */
export function initialState(values: ReadonlyArray<Observation>): EtsState | undefined {
  const weeks = Math.min(INIT_WEEKS, Math.floor(values.length / WEEK))
  if (weeks < 2) return undefined
  const points = values.slice(0, weeks * WEEK).flatMap((y, t) => (y === null ? [] : [{ t, y }]))
  const firstWeek = points.filter((p) => p.t < WEEK).length
  const lastWeek = points.filter((p) => p.t >= (weeks - 1) * WEEK).length
  if (firstWeek === 0 || lastWeek === 0) return undefined

  let line = leastSquares(points)
  const season = Array.from({ length: WEEK }, (_, k) => {
    const deviations = points.filter((p) => p.t % WEEK === k).map((p) => p.y - (line.intercept + line.slope * p.t))
    return deviations.length === 0 ? Number.NaN : deviations.reduce((s, d) => s + d, 0) / deviations.length
  })
  if (season.some(Number.isNaN)) return undefined
  const centre = season.reduce((s, v) => s + v, 0) / WEEK
  const centred = season.map((s) => s - centre)
  line = leastSquares(points.map((p) => ({ t: p.t, y: p.y - centred[p.t % WEEK]! })))
  // The states before the first day (t = −1), so that the first forecast is ℓ + φb + s(0).
  return { level: line.intercept - line.slope, trend: line.slope, season: centred }
}

function leastSquares(points: ReadonlyArray<{ readonly t: number; readonly y: number }>) {
  const n = points.length
  const mt = points.reduce((s, p) => s + p.t, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const stt = points.reduce((s, p) => s + (p.t - mt) ** 2, 0)
  const slope = stt === 0 ? 0 : points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0) / stt
  return { slope, intercept: my - slope * mt }
}

/** Runs the recursions over the series: the sum of squared one-step errors and the states after the last day. */
export function filter(values: ReadonlyArray<Observation>, p: EtsParams, init: EtsState) {
  let level = init.level
  let trend = init.trend
  const season = [...init.season]
  let sse = 0
  let observed = 0
  for (let t = 0; t < values.length; t++) {
    const k = t % WEEK
    const y = values[t]!
    const error = y === null ? 0 : y - (level + p.phi * trend + season[k]!)
    if (y !== null) {
      sse += error * error
      observed++
    }
    const next = level + p.phi * trend + p.alpha * error
    trend = p.phi * trend + p.beta * error
    season[k] = season[k]! + p.gamma * error
    level = next
  }
  return { sse, observed, state: { level, trend, season } satisfies EtsState }
}

/** c(0) … c(count−1): how a shock today moves the forecast j days on. */
export function errorWeights(p: EtsParams, count: number): Array<number> {
  const weights = [1]
  let damping = 0
  for (let j = 1; j < count; j++) {
    damping += p.phi ** j
    weights.push(p.alpha + p.beta * damping + (j % WEEK === 0 ? p.gamma : 0))
  }
  return weights
}

/** The forecasts of a fitted model whose states after `values` are `state`; exported for the interval tests. */
export function etsModel(values: ReadonlyArray<Observation>, params: EtsParams, state: EtsState, variance: number): Fitted {
  const n = values.length
  // Days missing at the end: the forecast really starts from the last observed day, so its horizon is longer.
  let gap = 0
  while (gap < n && values[n - 1 - gap] === null) gap++
  return {
    params: { ...params, sigma: Math.sqrt(variance) },
    predict(horizon) {
      const c = errorWeights(params, gap + horizon)
      // prefix[i] = c(0) + … + c(i)
      const prefix: Array<number> = []
      c.forEach((v, i) => prefix.push(v + (i > 0 ? prefix[i - 1]! : 0)))
      const daily: Array<Estimate> = []
      const cumulative: Array<Estimate> = []
      // The shocks of the missing days at the end are already in every day's error.
      let squares = c.slice(0, gap).reduce((s, v) => s + v * v, 0)
      let total = 0
      let damping = 0
      for (let h = 1; h <= horizon; h++) {
        damping += params.phi ** h
        const point = state.level + damping * state.trend + state.season[(n + h - 1) % WEEK]!
        squares += c[gap + h - 1]! ** 2
        daily.push(normalBand(point, Math.sqrt(variance * squares)))
        total += point
        cumulative.push(normalBand(total, Math.sqrt(variance * sumVariance(prefix, gap, h))))
      }
      return { daily, cumulative }
    },
  }
}

/**
 * Σ over the shocks since the last observed day of (its coefficient in the sum of days gap+1 … gap+H)²: the shock
 * u days after that day enters the day at distance d with weight c(d − u), for every summed day at or after it.
 */
function sumVariance(prefix: ReadonlyArray<number>, gap: number, horizon: number): number {
  let sum = 0
  for (let u = 0; u < gap + horizon; u++) {
    const coefficient = prefix[gap + horizon - 1 - u]! - (u < gap ? prefix[gap - u - 1]! : 0)
    sum += coefficient * coefficient
  }
  return sum
}
