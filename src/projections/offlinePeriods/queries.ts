// Offline periods as the forecaster and the recommendations read them: those of some kiosks (or all) that overlap
// a time range.
import type { Kysely } from "kysely"
import type { Database } from "../db.ts"

export interface OfflinePeriod {
  readonly kiosk_id: string
  readonly offline_from: string
  /** Null while the kiosk is still offline. */
  readonly back_at: string | null
}

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
