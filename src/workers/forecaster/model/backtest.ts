// Rolling-origin backtest: refit a method on the history up to each origin, forecast the next weeks, and score
// those forecasts on the days that were held out. MASE scales each absolute error by the in-sample mean absolute
// error of seasonal naive (y(t) − y(t−7)) on that origin's training days, so 1 means "as good as last week's
// same day was, one step ahead"; coverage is the share of held-out days inside the 80% and 95% intervals.
import { type Method, type MethodName, type Observation, WEEK } from "./method.ts"

export interface BacktestConfig {
  /** Fewest days a training window may have. */
  readonly minTrain: number
  /** Days forecast and scored from each origin. */
  readonly horizon: number
  /** Days between origins. */
  readonly step: number
  /** Origins needed for a score worth choosing by. */
  readonly minOrigins: number
  /** Origins used at most (the latest ones). */
  readonly maxOrigins: number
}

/** Three weeks to fit, four to test, rolled back a week at a time. */
export const BACKTEST: BacktestConfig = { minTrain: 21, horizon: 28, step: 7, minOrigins: 2, maxOrigins: 12 }

/** Observed days a forecast needs: the shortest training window, one horizon, and the roll to a second origin. */
export const minHistory = (config: BacktestConfig): number => config.minTrain + config.horizon + (config.minOrigins - 1) * config.step

export interface Score {
  readonly method: MethodName
  /** Mean absolute scaled error over every held-out observed day of every origin. */
  readonly mase: number
  readonly coverage80: number
  readonly coverage95: number
  /** Held-out observed days scored. */
  readonly heldOut: number
}

/** Origins (the index of the first held-out day), oldest first: the last one leaves exactly one horizon. */
export function originsFor(length: number, config: BacktestConfig): Array<number> {
  const origins: Array<number> = []
  for (let origin = length - config.horizon; origin >= config.minTrain && origins.length < config.maxOrigins; origin -= config.step) {
    origins.unshift(origin)
  }
  return origins
}

/** The score of `method` over `origins`; undefined when it cannot be fitted at one of them (so it cannot compete). */
export function backtest(values: ReadonlyArray<Observation>, method: Method, origins: ReadonlyArray<number>, horizon: number): Score | undefined {
  let scaled = 0
  let in80 = 0
  let in95 = 0
  let heldOut = 0
  for (const origin of origins) {
    const training = values.slice(0, origin)
    const model = method.fit(training)
    if (model === undefined) return undefined
    const scale = naiveScale(training)
    const { daily } = model.predict(horizon)
    for (let h = 0; h < horizon && origin + h < values.length; h++) {
      const actual = values[origin + h]
      if (actual === null || actual === undefined) continue
      const f = daily[h]!
      scaled += Math.abs(actual - f.point) / scale
      if (actual >= f.lo80 && actual <= f.hi80) in80++
      if (actual >= f.lo95 && actual <= f.hi95) in95++
      heldOut++
    }
  }
  if (heldOut === 0) return undefined
  return { method: method.name, mase: scaled / heldOut, coverage80: in80 / heldOut, coverage95: in95 / heldOut, heldOut }
}

/** In-sample mean |y(t) − y(t−7)|; falls back to the mean |y| (then 1) for a series where that is zero or unknown. */
export function naiveScale(values: ReadonlyArray<Observation>): number {
  let sum = 0
  let count = 0
  for (let t = WEEK; t < values.length; t++) {
    const y = values[t]
    const before = values[t - WEEK]
    if (y === null || y === undefined || before === null || before === undefined) continue
    sum += Math.abs(y - before)
    count++
  }
  if (count > 0 && sum > 0) return sum / count
  const observed = values.filter((y): y is number => y !== null)
  const level = observed.reduce((s, y) => s + Math.abs(y), 0) / Math.max(1, observed.length)
  return level > 0 ? level : 1
}
