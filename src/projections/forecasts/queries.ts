// The forecasts as the edge answers them: a kiosk's (or the fleet's) latest forecasts per currency, or why there
// is none — not enough history (a 422 with the numbers), or not fitted yet (503, ask again shortly).
import { Effect, Schema } from "effect"
import type { Selectable } from "kysely"
import { BACKTEST, minHistory } from "../../workers/forecaster/model/index.ts"
import { Db, type ForecastsTable } from "../db.ts"
import { NotReady } from "../errors.ts"
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
  const rows = yield* Effect.promise(() => db.selectFrom("forecasts").selectAll().where("kiosk_id", "=", kioskId).orderBy("currency").execute())
  if (rows.some((r) => r.status === "ready")) return rows satisfies ReadonlyArray<ForecastRow>
  if (rows.length > 0) {
    const best = rows.reduce((a, b) => (b.observed_days > a.observed_days ? b : a))
    return yield* notEnoughHistory(best.observed_days, best.need_days)
  }
  const need = minHistory(BACKTEST)
  let first = db.selectFrom("kiosk_daily_sales").select((eb) => eb.fn.min("day").as("first")).where("day", "<=", lastDay)
  if (kioskId !== FLEET) first = first.where("kiosk_id", "=", kioskId)
  const found = yield* Effect.promise(() => first.executeTakeFirst())
  const span = found?.first ? Math.round((Date.parse(`${lastDay}T00:00:00Z`) - Date.parse(`${found.first}T00:00:00Z`)) / 86_400_000) + 1 : 0
  if (span < need) return yield* notEnoughHistory(span, need)
  return yield* new NotReady({
    message: "the forecaster has not fitted this history yet; ask again shortly", projection: "forecasts", minSeq: 0, reached: 0, retryAfterSeconds: 5,
  })
})
