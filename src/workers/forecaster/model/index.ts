// The forecasting model's public surface: pure functions from a daily series to a forecast.
export { addDays, daysBetween, dayOf, isoWeekday } from "./calendar.ts"
export { BACKTEST, type BacktestConfig, minHistory, type Score } from "./backtest.ts"
export {
  type DailySeries, type DayEstimate, type Forecast, forecastSeries, type ForecastOptions, type HistoryUsed, INTERMITTENT_INTERVAL,
  type NotEnoughHistory, notEnoughHistoryMessage, type Path,
} from "./forecast.ts"
export type { Band, Estimate, IntervalKind, MethodName, Observation } from "./method.ts"
