// Offline periods as the forecaster and the recommendations read them: those of some kiosks (or all) that overlap
// a time range.
import { Effect } from "effect"
import type { Kysely } from "kysely"
import { Db, type Database, tryDb } from "../db.ts"
import { getKiosk } from "../kiosks/queries.ts"
import { awaitProjection } from "../query/freshness.ts"
import type { Scope } from "../query/scope.ts"
import { type OfflinePeriod, uptimeOver } from "./uptime.ts"

export type { OfflinePeriod }

export const OFFLINE_PERIODS_PROJECTION = "kiosk_offline_periods"

/** Periods overlapping [from, to) of the given kiosks (all kiosks when `kioskIds` is "all"), oldest first. */
export async function offlinePeriodsOverlapping(
  db: Kysely<Database>,
  kioskIds: ReadonlyArray<string> | "all",
  from: string,
  to: string,
): Promise<ReadonlyArray<OfflinePeriod>> {
  if (kioskIds !== "all" && kioskIds.length === 0) return []
  let query = db.selectFrom("kiosk_offline_periods").select(["kiosk_id", "offline_from", "back_at"])
    .where("offline_from", "<", to)
    .where((eb) => eb.or([eb("back_at", "is", null), eb("back_at", ">", from)]))
  if (kioskIds !== "all") query = query.where("kiosk_id", "in", kioskIds)
  return query.orderBy("kiosk_id").orderBy("offline_from").execute()
}

/**
 * One kiosk's uptime over [from, to) (epoch ms; `from` moved to its registration if later): 404 like getKiosk for
 * a kiosk outside the caller's scope.
 */
export const kioskUptime = Effect.fn("projections.kioskUptime")(function* (
  kioskId: string,
  options: { readonly scope: Scope; readonly from: number; readonly to: number; readonly minSeq?: number | undefined },
) {
  yield* awaitProjection(OFFLINE_PERIODS_PROJECTION, options.minSeq)
  const kiosk = yield* getKiosk(kioskId, { scope: options.scope })
  const { db } = yield* Db
  const from = Math.max(options.from, Date.parse(kiosk.registered_at))
  const to = Math.max(from, options.to)
  const periods = yield* tryDb(() =>
    offlinePeriodsOverlapping(db, [kioskId], new Date(from).toISOString(), new Date(to).toISOString()))
  return uptimeOver(periods, from, to)
})
