// The forecaster's public surface: run the role, and the model it fits (pure).
export { type ForecasterOptions, type RunningForecaster, startForecaster } from "./worker.ts"
export * from "./model/index.ts"
export { type BacktestReport, backtestReport, type BacktestRow } from "./backtestReport.ts"
export { RECOMMENDATION_KINDS, type Recommendation, type RecommendationKind } from "./recommendations/index.ts"
export { MAX_HISTORY_DAYS } from "./history.ts"
export { forecastRecords } from "./records.ts"
