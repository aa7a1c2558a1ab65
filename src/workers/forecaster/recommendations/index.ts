// Recommendations' public surface: the facts they are judged on, the rules, and how facts are gathered (all pure).
export { type KioskFacts, PROFILE_DAYS, RECENT_DAYS, type RecentDay, WINDOW_DAYS } from "./facts.ts"
export { recommend } from "./rules.ts"
export { type Recommendation, RECOMMENDATION_KINDS, type RecommendationKind } from "../model/index.ts"
export { type KioskEvidence, kioskFacts, placeOf } from "./gather.ts"
