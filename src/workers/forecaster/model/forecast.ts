// A daily series in, a forecast out: the candidates for the series' kind, each backtested from rolling origins,
// the one with the lowest MASE refitted on the whole history, with seasonal naive beside it as the baseline.
// Deterministic: the same series and options give the same forecast, to the last digit.
import { addDays } from "./calendar.ts"
import { BACKTEST, type BacktestConfig, backtest, minHistory, originsFor, type Score } from "./backtest.ts"
import { ets } from "./ets.ts"
import type { Estimate, IntervalKind, Method, MethodName, Observation, Prediction } from "./method.ts"
import { toMinorUnits } from "./numerics.ts"
import { seasonalNaive } from "./seasonalNaive.ts"
import { tsb } from "./tsb.ts"

export interface DailySeries {
  /** The first day, YYYY-MM-DD (UTC). */
  readonly from: string
  /** One value per day from `from` on, in minor units; null where the day is missing (the kiosk was offline). */
  readonly values: ReadonlyArray<Observation>
}

export interface ForecastOptions {
  /** Days forecast after the history's last day. Default 90. */
  readonly horizon?: number
  readonly backtest?: Partial<BacktestConfig>
}

/** Syntetos & Boylan's cut-off: an average of 1.32 days or more between days with sales is intermittent demand. */
export const INTERMITTENT_INTERVAL = 1.32

export interface DayEstimate extends Estimate {
  readonly date: string
}

export interface Path {
  /** One per day, in minor units. */
  readonly daily: ReadonlyArray<DayEstimate>
  /** Entry k: the total of days 1 … k+1, with its own interval. */
  readonly cumulative: ReadonlyArray<Estimate>
}

export interface HistoryUsed {
  readonly from: string
  readonly to: string
  /** Days from `from` to `to`, both included. */
  readonly days: number
  readonly observedDays: number
  /** Days treated as missing (offline), not as zero sales. */
  readonly missingDays: ReadonlyArray<string>
  /** Observed days per day with sales (≥ 1.32: intermittent); null when no day had sales. */
  readonly demandInterval: number | null
}

export interface Forecast extends Path {
  readonly kind: "forecast"
  readonly method: MethodName
  readonly intervals: IntervalKind
  readonly params: Readonly<Record<string, number>>
  readonly backtest: {
    readonly mase: number
    readonly baselineMase: number
    readonly coverage80: number
    readonly coverage95: number
    readonly heldOut: number
    readonly origins: number
    readonly horizon: number
    /** Every method that competed, the chosen one included. */
    readonly candidates: ReadonlyArray<Score>
  }
  readonly history: HistoryUsed
  readonly baseline: Path & { readonly method: "seasonal_naive" }
}

export interface NotEnoughHistory {
  readonly kind: "not-enough-history"
  /** Observed days the series has. */
  readonly days: number
  readonly need: number
}

export const notEnoughHistoryMessage = (days: number, need: number) => `not enough history (${days} days, need ${need})`

export function forecastSeries(series: DailySeries, options: ForecastOptions = {}): Forecast | NotEnoughHistory {
  const config: BacktestConfig = { ...BACKTEST, ...options.backtest }
  const horizon = options.horizon ?? 90
  const values = series.values
  const observed = values.filter((y): y is number => y !== null)
  const need = minHistory(config)
  const origins = originsFor(values.length, config)
  if (observed.length < need || origins.length < config.minOrigins) return { kind: "not-enough-history", days: observed.length, need }

  const withSales = observed.filter((y) => y !== 0).length
  const demandInterval = withSales === 0 ? Number.POSITIVE_INFINITY : observed.length / withSales
  // The baseline first: it keeps a tie, being the simpler explanation.
  const candidates: ReadonlyArray<Method> = [seasonalNaive, demandInterval >= INTERMITTENT_INTERVAL ? tsb : ets]
  const scored = candidates.flatMap((method) => {
    const score = backtest(values, method, origins, config.horizon)
    return score === undefined ? [] : [{ method, score }]
  })
  const baselineScore = scored.find((s) => s.method === seasonalNaive)?.score
  const baselineFit = seasonalNaive.fit(values)
  // Seasonal naive fails only where a weekday was never observed, which the minimum history rules out in practice.
  if (scored.length === 0 || baselineScore === undefined || baselineFit === undefined) return { kind: "not-enough-history", days: observed.length, need }

  let chosen = scored[0]!
  for (const candidate of scored) if (candidate.score.mase < chosen.score.mase) chosen = candidate
  const model = chosen.method.fit(values) ?? baselineFit
  const lastDay = addDays(series.from, values.length - 1)
  // A day's takings go below zero only when refunds outweigh sales: never below what the history has seen.
  const floor = Math.min(0, ...observed)

  return {
    kind: "forecast",
    method: chosen.method.name,
    intervals: chosen.method.intervals,
    params: model.params,
    backtest: {
      mase: chosen.score.mase,
      baselineMase: baselineScore.mase,
      coverage80: chosen.score.coverage80,
      coverage95: chosen.score.coverage95,
      heldOut: chosen.score.heldOut,
      origins: origins.length,
      horizon: config.horizon,
      candidates: scored.map((s) => s.score),
    },
    history: {
      from: series.from,
      to: lastDay,
      days: values.length,
      observedDays: observed.length,
      missingDays: values.flatMap((y, t) => (y === null ? [addDays(series.from, t)] : [])),
      demandInterval: Number.isFinite(demandInterval) ? demandInterval : null,
    },
    ...toPath(model.predict(horizon), lastDay, floor),
    baseline: { method: "seasonal_naive", ...toPath(baselineFit.predict(horizon), lastDay, floor) },
  }
}

function toPath(prediction: Prediction, lastDay: string, floor: number): Path {
  const money = (e: Estimate, bound: number): Estimate => ({
    point: toMinorUnits(Math.max(bound, e.point)),
    lo80: toMinorUnits(Math.max(bound, e.lo80)),
    hi80: toMinorUnits(Math.max(bound, e.hi80)),
    lo95: toMinorUnits(Math.max(bound, e.lo95)),
    hi95: toMinorUnits(Math.max(bound, e.hi95)),
  })
  return {
    daily: prediction.daily.map((e, k) => ({ date: addDays(lastDay, k + 1), ...money(e, floor) })),
    cumulative: prediction.cumulative.map((e, k) => money(e, floor * (k + 1))),
  }
}
