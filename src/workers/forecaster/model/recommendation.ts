// What the forecaster says about a kiosk: the kinds of recommendation and their shape, as the forecasts read model
// stores them and the edge answers them. The rules that make them are in ../recommendations/rules.ts.
export const RECOMMENDATION_KINDS = [
  "downtime_busy_hours", "below_forecast", "refunds_high", "weekday_concentration", "hour_concentration", "below_peers",
] as const
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number]

export interface Recommendation {
  readonly kind: RecommendationKind
  readonly kioskId: string
  readonly currency: string
  readonly window: { readonly from: string; readonly to: string }
  readonly reason: { readonly en: string; readonly es: string }
  readonly numbers: Readonly<Record<string, number | string | ReadonlyArray<number>>>
}
