// The forecasting model's public surface: pure functions from a daily series to a forecast, and the shape of a
// recommendation. Pure and free of other rooms, so the forecasts read model may import it (the index may not).
export { addDays, daysBetween, dayOf, isoWeekday } from "./calendar.ts"
export { BACKTEST, type BacktestConfig, minHistory, type Score } from "./backtest.ts"
export {
  type DailySeries, type DayEstimate, type Forecast, forecastSeries, type ForecastOptions, type HistoryUsed, INTERMITTENT_INTERVAL,
  type NotEnoughHistory, notEnoughHistoryMessage, type Path,
} from "./forecast.ts"
export type { Band, Estimate, IntervalKind, MethodName, Observation } from "./method.ts"
export { type Recommendation, RECOMMENDATION_KINDS, type RecommendationKind } from "./recommendation.ts"
