// The forecasts read model's surface: the forecaster's queue and store, and the queries the edge answers from.
export { claimDue, type Claimed, type Due, finishWork, FLEET, markDue, releaseWork } from "./work.ts"
export { type ForecastRecord, PAYMENTS_PROJECTION, readSalesHistory, type SalesHistory, saveForecasts } from "./store.ts"
export { type ForecastRow, forecastsFor, NotEnoughHistory, notEnoughHistory } from "./queries.ts"
