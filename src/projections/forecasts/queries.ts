// The forecasts as the edge answers them: a kiosk's (or the fleet's) latest forecasts per currency, or why there
// is none — not enough history (a 422 with the numbers), or not fitted yet (503, ask again shortly).
import { Effect, Schema } from "effect"
import type { Selectable } from "kysely"
import { BACKTEST, minHistory, type Recommendation } from "../../workers/forecaster/model/index.ts"
import { Invalid } from "../../commands/index.ts"
import { Db, type ForecastsTable, tryDb } from "../db.ts"
import { NotReady } from "../errors.ts"
import { pageRequest, toPage, type Page } from "../query/page.ts"
import type { Scope } from "../query/scope.ts"
import { FLEET } from "./work.ts"

/** The history is too short for a forecast worth the name: N observed days, M needed. */
export class NotEnoughHistory extends Schema.TaggedError<NotEnoughHistory>()("NotEnoughHistory", {
  message: Schema.String,
  days: Schema.Int,
  need: Schema.Int,
}) {}

export type ForecastRow = Selectable<ForecastsTable>

export const notEnoughHistory = (days: number, need: number) =>
  new NotEnoughHistory({ message: `not enough history (${days} days, need ${need})`, days, need })

/**
 * The stored forecasts of a kiosk (or FLEET), by currency, when at least one is ready. Otherwise: NotEnoughHistory
 * with the best currency's numbers; or, when the forecaster has not looked at this history yet, NotEnoughHistory
 * if even its whole span to `lastDay` is too short, else NotReady.
 */
export const forecastsFor = Effect.fn("projections.forecastsFor")(function* (kioskId: string, lastDay: string) {
  const { db } = yield* Db
  const rows = yield* tryDb(() => db.selectFrom("forecasts").selectAll().where("kiosk_id", "=", kioskId).orderBy("currency").execute())
  if (rows.some((r) => r.status === "ready")) return rows satisfies ReadonlyArray<ForecastRow>
  if (rows.length > 0) {
    const best = rows.reduce((a, b) => (b.observed_days > a.observed_days ? b : a))
    return yield* notEnoughHistory(best.observed_days, best.need_days)
  }
  const need = minHistory(BACKTEST)
  let first = db.selectFrom("kiosk_daily_sales").select((eb) => eb.fn.min("day").as("first")).where("day", "<=", lastDay)
  if (kioskId !== FLEET) first = first.where("kiosk_id", "=", kioskId)
  const found = yield* tryDb(() => first.executeTakeFirst())
  const span = found?.first ? Math.round((Date.parse(`${lastDay}T00:00:00Z`) - Date.parse(`${found.first}T00:00:00Z`)) / 86_400_000) + 1 : 0
  if (span < need) return yield* notEnoughHistory(span, need)
  return yield* new NotReady({
    message: "the forecaster has not fitted this history yet; ask again shortly", projection: "forecasts", minSeq: 0, reached: 0, retryAfterSeconds: 5,
  })
})

export interface RecommendationView {
  readonly recommendation_id: string
  readonly kiosk_id: string
  readonly kiosk_name: string
  readonly document: Recommendation
  readonly history_to: string
  readonly computed_at: string
}

export interface ListRecommendationsParams {
  readonly scope: Scope
  readonly kioskId?: string | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

/** The recommendations for the caller's kiosks in service (or one of them), a page at a time in id order. */
export const listRecommendations = Effect.fn("projections.listRecommendations")(function* (params: ListRecommendationsParams) {
  const { db } = yield* Db
  const paging = pageRequest("recommendation_id", params, { recommendation_id: "text" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, limit, position } = paging
  let query = db.selectFrom("recommendations")
    .innerJoin("kiosks", "kiosks.kiosk_id", "recommendations.kiosk_id")
    .select([
      "recommendations.recommendation_id", "recommendations.kiosk_id", "kiosks.name as kiosk_name", "recommendations.document",
      "recommendations.history_to", "recommendations.computed_at",
    ])
    .where("kiosks.status", "!=", "decommissioned")
  if (params.scope !== "all") query = query.where("kiosks.assignee_id", "=", params.scope.operatorId)
  if (params.kioskId !== undefined) query = query.where("recommendations.kiosk_id", "=", params.kioskId)
  if (position !== undefined) query = query.where("recommendations.recommendation_id", ">", String(position.key))
  const rows = yield* tryDb(() => query.orderBy("recommendations.recommendation_id").limit(limit + 1).execute())
  return toPage(rows, limit, (r): RecommendationView => r, (r) => ({ key: r.recommendation_id, id: r.recommendation_id }), sort) satisfies Page<RecommendationView>
})
