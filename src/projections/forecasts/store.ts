// What the forecaster reads and writes: a kiosk's (or every kiosk's) daily net takings and offline periods, read
// in one snapshot with the PAYMENTS position they reflect; and its results, which a fit of older data never replaces.
import { type Kysely, sql } from "kysely"
import type { Forecast, MethodName, Recommendation } from "../../workers/forecaster/model/index.ts"
import type { Database, ForecastStatus, KioskStatus } from "../db.ts"
import { offlinePeriodsOverlapping, type OfflinePeriod } from "../offlinePeriods/queries.ts"
import { atCheckpoint } from "../query/snapshot.ts"
import { FLEET } from "./work.ts"

export const PAYMENTS_PROJECTION = "payments"

export interface SalesDay {
  readonly kiosk_id: string
  readonly day: string
  readonly currency: string
  readonly net: number
  readonly gross: number
  readonly payment_count: number
  readonly refund_count: number
  readonly refunds: number
}

export interface SalesHistory {
  readonly days: ReadonlyArray<SalesDay>
  readonly outages: ReadonlyArray<OfflinePeriod>
  /** The payments read model's checkpoint when these rows were read. */
  readonly paymentsSeq: number
}

/** Days in [from, to] and the outages overlapping them, for one kiosk or (FLEET) all of them. */
export async function readSalesHistory(db: Kysely<Database>, kioskId: string, from: string, to: string): Promise<SalesHistory> {
  const { result, seq } = await atCheckpoint(db, PAYMENTS_PROJECTION, async (trx) => {
    let query = trx.selectFrom("kiosk_daily_sales").select(["kiosk_id", "day", "currency", "net", "gross", "payment_count", "refund_count", "refunds"]).where("day", ">=", from).where("day", "<=", to)
    if (kioskId !== FLEET) query = query.where("kiosk_id", "=", kioskId)
    const days = await query.orderBy("kiosk_id").orderBy("day").orderBy("currency").execute()
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()
    const outages = await offlinePeriodsOverlapping(trx, kioskId === FLEET ? "all" : [kioskId], `${from}T00:00:00.000Z`, end)
    return { days, outages }
  })
  return { ...result, paymentsSeq: seq }
}

export interface KioskName {
  readonly kiosk_id: string
  readonly code: string
  readonly name: string
}

/** Kiosks by code: all of them, or those whose code or id is among `only` (a backtest's choice). */
export async function kiosksByCode(db: Kysely<Database>, only?: ReadonlyArray<string>): Promise<ReadonlyArray<KioskName>> {
  let query = db.selectFrom("kiosks").select(["kiosk_id", "code", "name"])
  if (only !== undefined) query = query.where((eb) => eb.or([eb("code", "in", only), eb("kiosk_id", "in", only)]))
  return query.orderBy("code").execute()
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

export interface RecommendationInputs {
  /** Every kiosk in service: names, and places for the comparison with peers. */
  readonly kiosks: ReadonlyArray<{ readonly kiosk_id: string; readonly name: string; readonly location: string; readonly status: KioskStatus }>
  /** Per kiosk and currency over the window: takings, payments, refunds and what they gave back. */
  readonly windowTotals: ReadonlyArray<{
    readonly kiosk_id: string; readonly currency: string; readonly net: number; readonly payments: number; readonly refunds: number; readonly refunded: number
    /** Its first day with takings in the window: a kiosk that started selling within it is judged from then. */
    readonly first_day: string
  }>
  /** Every kiosk's outages overlapping the window. */
  readonly windowOutages: ReadonlyArray<OfflinePeriod>
  /** This kiosk's payments over the profile, by currency and UTC hour of the day. */
  readonly takingsByHour: ReadonlyArray<{ readonly currency: string; readonly hour: number; readonly takings: number; readonly payments: number }>
}

/** What the recommendations compare a kiosk with: the fleet over the window [windowFrom, to], its own hours since profileFrom. */
export async function readRecommendationInputs(
  db: Kysely<Database>, kioskId: string, range: { readonly windowFrom: string; readonly profileFrom: string; readonly to: string },
): Promise<RecommendationInputs> {
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString()
  const [kiosks, totals, windowOutages, hours] = await Promise.all([
    db.selectFrom("kiosks").select(["kiosk_id", "name", "location", "status"]).where("status", "!=", "decommissioned").orderBy("kiosk_id").execute(),
    db.selectFrom("kiosk_daily_sales")
      .select((eb) => [
        "kiosk_id", "currency", eb.fn.sum<string>("net").as("net"), eb.fn.sum<string>("payment_count").as("payments"),
        eb.fn.sum<string>("refund_count").as("refunds"), eb.fn.sum<string>("refunds").as("refunded"), eb.fn.min("day").as("first_day"),
      ])
      .where("day", ">=", range.windowFrom).where("day", "<=", range.to)
      .groupBy(["kiosk_id", "currency"]).orderBy("kiosk_id").orderBy("currency").execute(),
    offlinePeriodsOverlapping(db, "all", `${range.windowFrom}T00:00:00.000Z`, end),
    db.selectFrom("payments")
      .select((eb) => [
        "currency", sql<number>`extract(hour from occurred_at at time zone 'UTC')::int`.as("hour"),
        eb.fn.sum<string>("amount").as("takings"), eb.fn.countAll<string>().as("payments"),
      ])
      .where("kiosk_id", "=", kioskId).where("occurred_at", ">=", `${range.profileFrom}T00:00:00.000Z`).where("occurred_at", "<", end)
      .groupBy(["currency", "hour"]).orderBy("currency").orderBy("hour").execute(),
  ])
  // Sums of bigint columns come back as numeric strings; each stays well inside 2^53.
  return {
    kiosks,
    windowTotals: totals.map((t) => ({
      kiosk_id: t.kiosk_id, currency: t.currency, net: Number(t.net), payments: Number(t.payments), refunds: Number(t.refunds), refunded: Number(t.refunded),
      first_day: t.first_day,
    })),
    windowOutages,
    takingsByHour: hours.map((h) => ({ currency: h.currency, hour: Number(h.hour), takings: Number(h.takings), payments: Number(h.payments) })),
  }
}

/** Replaces a kiosk's recommendations with those of a fit of history to `historyTo` at `paymentsSeq`, unless newer ones are there. */
export async function saveRecommendations(
  db: Kysely<Database>, kioskId: string, historyTo: string, paymentsSeq: number, recommendations: ReadonlyArray<Recommendation>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("recommendations").where("kiosk_id", "=", kioskId)
      .where(sql<boolean>`(history_to, payments_seq) <= (${historyTo}::date, ${paymentsSeq}::bigint)`).execute()
    if (recommendations.length === 0) return
    await trx.insertInto("recommendations")
      .values(recommendations.map((r) => ({
        recommendation_id: `${kioskId}/${r.kind}/${r.currency}`, kiosk_id: kioskId, kind: r.kind, currency: r.currency,
        document: JSON.stringify(r), history_to: historyTo, payments_seq: paymentsSeq, computed_at: sql<string>`now()`,
      })))
      .onConflict((oc) => oc.column("recommendation_id").doNothing())
      .execute()
  })
}
