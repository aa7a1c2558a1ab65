// The forecasts read model's surface: the forecaster's queue and store, and the queries the edge answers from.
export { claimDue, type Claimed, type Due, finishWork, FLEET, markDue, releaseWork } from "./work.ts"
export {
  type ForecastRecord, type KioskName, kiosksByCode, PAYMENTS_PROJECTION, readRecommendationInputs, readSalesHistory, type RecommendationInputs, type SalesDay,
  type SalesHistory, saveForecasts, saveRecommendations,
} from "./store.ts"
export {
  type ForecastRow, forecastsFor, listRecommendations, type ListRecommendationsParams, NotEnoughHistory, notEnoughHistory, type RecommendationView,
} from "./queries.ts"
