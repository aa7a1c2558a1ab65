// What every forecasting method offers: fit on a daily series (null = a missing day, e.g. the kiosk was offline),
// then predict the next days with their 80% and 95% prediction intervals, day by day and summed.
import { Z80, Z95 } from "./numerics.ts"

/** A missing day is null: no observation, which is not the same as a day without sales (0). */
export type Observation = number | null

export type MethodName = "ets" | "seasonal_naive" | "tsb"

/** Analytic: from the method's own error model. Empirical: from quantiles of the fit's one-step residuals. */
export type IntervalKind = "analytic" | "empirical"

export interface Band {
  readonly lo80: number
  readonly hi80: number
  readonly lo95: number
  readonly hi95: number
}

export interface Estimate extends Band {
  readonly point: number
}

export interface Prediction {
  /** Day k (0-based) is the k+1-th day after the history's last day. */
  readonly daily: ReadonlyArray<Estimate>
  /** Entry k is the sum of the first k+1 days, with the interval of that sum (not the sum of the intervals). */
  readonly cumulative: ReadonlyArray<Estimate>
}

export interface Fitted {
  /** The fitted parameters, for the record (α, β, γ, φ …). */
  readonly params: Readonly<Record<string, number>>
  predict(horizon: number): Prediction
}

export interface Method {
  readonly name: MethodName
  readonly intervals: IntervalKind
  /** Undefined when the series is too thin for this method (e.g. a weekday never observed). */
  fit(values: ReadonlyArray<Observation>): Fitted | undefined
}

/** The season: sales follow the week. */
export const WEEK = 7

/** A normal band around `point` with standard deviation `sd`. */
export const normalBand = (point: number, sd: number): Estimate =>
  ({ point, lo80: point - Z80 * sd, hi80: point + Z80 * sd, lo95: point - Z95 * sd, hi95: point + Z95 * sd })
