// What the forecaster reads and writes: a kiosk's (or every kiosk's) daily net takings and offline periods, read
// in one snapshot with the PAYMENTS position they reflect; and its results, which a fit of older data never replaces.
import { type Kysely, sql } from "kysely"
import type { Forecast, MethodName } from "../../workers/forecaster/model/index.ts"
import type { Database, ForecastStatus } from "../db.ts"
import { offlinePeriodsOverlapping, type OfflinePeriod } from "../offlinePeriods/queries.ts"
import { atCheckpoint } from "../query/snapshot.ts"
import { FLEET } from "./work.ts"

export const PAYMENTS_PROJECTION = "payments"

export interface SalesHistory {
  readonly days: ReadonlyArray<{ readonly kiosk_id: string; readonly day: string; readonly currency: string; readonly net: number }>
  readonly outages: ReadonlyArray<OfflinePeriod>
  /** The payments read model's checkpoint when these rows were read. */
  readonly paymentsSeq: number
}

/** Days in [from, to] and the outages overlapping them, for one kiosk or (FLEET) all of them. */
export async function readSalesHistory(db: Kysely<Database>, kioskId: string, from: string, to: string): Promise<SalesHistory> {
  const { result, seq } = await atCheckpoint(db, PAYMENTS_PROJECTION, async (trx) => {
    let query = trx.selectFrom("kiosk_daily_sales").select(["kiosk_id", "day", "currency", "net"]).where("day", ">=", from).where("day", "<=", to)
    if (kioskId !== FLEET) query = query.where("kiosk_id", "=", kioskId)
    const days = await query.orderBy("kiosk_id").orderBy("day").orderBy("currency").execute()
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()
    const outages = await offlinePeriodsOverlapping(trx, kioskId === FLEET ? "all" : [kioskId], `${from}T00:00:00.000Z`, end)
    return { days, outages }
  })
  return { ...result, paymentsSeq: seq }
}

export interface ForecastRecord {
  readonly currency: string
  readonly status: ForecastStatus
  readonly observedDays: number
  readonly needDays: number
  readonly method: MethodName | null
  readonly mase: number | null
  readonly document: Forecast | null
}

/**
 * Stores a kiosk's forecasts (one per currency) from history to `historyTo` at `paymentsSeq`, unless a forecast from
 * later data is already there (another instance was quicker), and drops currencies the history no longer has.
 */
export async function saveForecasts(db: Kysely<Database>, kioskId: string, historyTo: string, paymentsSeq: number, records: ReadonlyArray<ForecastRecord>): Promise<void> {
  const notNewer = sql<boolean>`(forecasts.history_to, forecasts.payments_seq) <= (excluded.history_to, excluded.payments_seq)`
  await db.transaction().execute(async (trx) => {
    if (records.length > 0) {
      await trx.insertInto("forecasts")
        .values(records.map((r) => ({
          kiosk_id: kioskId, currency: r.currency, status: r.status, history_to: historyTo, observed_days: r.observedDays,
          need_days: r.needDays, method: r.method, mase: r.mase, document: r.document === null ? null : JSON.stringify(r.document),
          payments_seq: paymentsSeq, fitted_at: sql<string>`now()`,
        })))
        .onConflict((oc) => oc.columns(["kiosk_id", "currency"]).doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          history_to: eb.ref("excluded.history_to"),
          observed_days: eb.ref("excluded.observed_days"),
          need_days: eb.ref("excluded.need_days"),
          method: eb.ref("excluded.method"),
          mase: eb.ref("excluded.mase"),
          document: eb.ref("excluded.document"),
          payments_seq: eb.ref("excluded.payments_seq"),
          fitted_at: eb.ref("excluded.fitted_at"),
        })).where(notNewer))
        .execute()
    }
    let stale = trx.deleteFrom("forecasts").where("kiosk_id", "=", kioskId)
      .where("history_to", "<=", historyTo).where("payments_seq", "<=", paymentsSeq)
    if (records.length > 0) stale = stale.where("currency", "not in", records.map((r) => r.currency))
    await stale.execute()
  })
}
