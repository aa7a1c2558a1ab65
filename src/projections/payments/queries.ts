// Payments as the console, auditors and operators read them: lists with filters and cursors, one payment with
// its refunds, and per-kiosk daily sales. Operators see only the payments taken while a kiosk was theirs (the
// payment's operator at the time, refunds included), never those of the kiosk's earlier or later operators.
import { Effect } from "effect"
import type { Kysely } from "kysely"
import { Invalid, NotFound } from "../../commands/index.ts"
import { Db, type Database, tryDb } from "../db.ts"
import { awaitProjection } from "../query/freshness.ts"
import { after, pageRequest, toPage, type Page } from "../query/page.ts"
import type { Scope } from "../query/scope.ts"
import { atCheckpoint } from "../query/snapshot.ts"
import { matching, PAYMENT_COLUMNS, type PaymentFilter, paymentsWithNames, sumOf } from "./filter.ts"

export type { PaymentFilter, PaymentStatus } from "./filter.ts"

const PROJECTION = "payments"

export interface RefundRow {
  readonly refund_id: string
  readonly amount: number
  readonly currency: string
  readonly reason: string
  readonly operator_id: string | null
  readonly refunded_at: string
  readonly seq: number
}

export interface PaymentRow {
  readonly payment_id: string
  readonly kiosk_id: string
  readonly operator_id: string | null
  /** Minor units of `currency`. */
  readonly amount: number
  readonly currency: string
  readonly occurred_at: string
  readonly recorded_at: string
  readonly refunded_amount: number
  readonly net_amount: number
  readonly refunds: ReadonlyArray<RefundRow>
  /** The PAYMENTS stream sequence that recorded it. */
  readonly seq: number
  /** The kiosk's code and name (kiosks read model); null while that model has not seen the kiosk. */
  readonly kiosk_code: string | null
  readonly kiosk_name: string | null
  /** The operator's username (users read model). */
  readonly operator_name: string | null
}

export type PaymentSort = "occurred_at" | "-occurred_at" | "amount" | "-amount"

export interface ListPaymentsParams extends PaymentFilter {
  /** Newest first unless told otherwise. */
  readonly sort?: PaymentSort | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
  /** Read-your-writes: wait until the model has applied this PAYMENTS sequence. */
  readonly minSeq?: number | undefined
}

const DAY_COLUMNS = ["kiosk_id", "day", "currency", "payment_count", "gross", "refund_count", "refunds", "net"] as const

/** The daily sales the scope may read: the fleet's per kiosk, or those of the payments an operator took. */
function daysInScope(db: Kysely<Database>, scope: Scope) {
  const days = scope === "all"
    ? db.selectFrom("kiosk_daily_sales").select(DAY_COLUMNS)
    : db.selectFrom("operator_daily_sales").select(DAY_COLUMNS).where("operator_id", "=", scope.operatorId)
  // Postgres inlines the subquery: the filters below still use each table's key.
  return db.selectFrom(days.as("days"))
}

/** Loads the refunds of a page's payments in one query; returns the row → view mapping. */
export async function withRefunds(db: Kysely<Database>, rows: ReadonlyArray<PaymentColumns>) {
  const ids = rows.map((r) => r.payment_id)
  const refunds = ids.length === 0 ? [] : await db.selectFrom("payment_refunds")
    .select(["refund_id", "payment_id", "amount", "currency", "reason", "operator_id", "refunded_at", "seq"])
    .where("payment_id", "in", ids).orderBy("seq").execute()
  const byPayment = Map.groupBy(refunds, (r) => r.payment_id)
  return (row: PaymentColumns): PaymentRow => ({
    payment_id: row.payment_id,
    kiosk_id: row.kiosk_id,
    operator_id: row.operator_id,
    amount: row.amount,
    currency: row.currency,
    occurred_at: row.occurred_at,
    recorded_at: row.recorded_at,
    refunded_amount: row.refunded_amount,
    net_amount: row.net_amount,
    refunds: (byPayment.get(row.payment_id) ?? []).map(({ payment_id: _, ...refund }) => refund),
    seq: row.seq,
    kiosk_code: row.kiosk_code,
    kiosk_name: row.kiosk_name,
    operator_name: row.operator_name,
  })
}

type PaymentColumns = Omit<PaymentRow, "refunds">

export const listPayments = Effect.fn("projections.listPayments")(function* (params: ListPaymentsParams) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const paging = pageRequest(params.sort ?? "-occurred_at", params, { occurred_at: "instant", amount: "integer" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, key, descending, limit, position } = paging

  let query = paymentsWithNames(db).select(PAYMENT_COLUMNS).where(matching(db, params))
  if (position !== undefined) query = query.where(after(`payments.${key}`, "payments.payment_id", descending, position))
  const direction = descending ? "desc" : "asc"
  query = query.orderBy(`payments.${key}`, direction).orderBy("payments.payment_id", direction).limit(limit + 1)

  // The page and the PAYMENTS position it reflects, read together: the console resumes /ws from that `seq`.
  const { result, seq } = yield* tryDb(() => atCheckpoint(db, PROJECTION, async (trx) => {
    const { rows } = await trx.executeQuery(query)
    return { rows, view: await withRefunds(trx, rows) }
  }))
  const page: Page<PaymentRow> = toPage(result.rows, limit, result.view, (r) => ({ key: r[key], id: r.payment_id }), sort)
  return { ...page, seq }
})

export const getPayment = Effect.fn("projections.getPayment")(function* (
  paymentId: string,
  options: { readonly scope: Scope; readonly minSeq?: number | undefined },
) {
  yield* awaitProjection(PROJECTION, options.minSeq)
  const { db } = yield* Db
  const query = paymentsWithNames(db).select(PAYMENT_COLUMNS)
    .where(matching(db, { scope: options.scope })).where("payments.payment_id", "=", paymentId)
  const row = yield* tryDb(() => query.executeTakeFirst())
  if (row === undefined) return yield* new NotFound({ message: `payment ${paymentId} not found` })
  const view = yield* tryDb(() => withRefunds(db, [row]))
  return view(row)
})

export interface PaymentTotalsView {
  readonly currency: string
  readonly count: number
  /** Minor units: what was taken, what of it was refunded (whenever), and what is left. */
  readonly gross: number
  readonly refunded: number
  readonly net: number
}

/** The filtered payments' totals per currency: what a list's footer says about every page of it at once. */
export const paymentTotals = Effect.fn("projections.paymentTotals")(function* (params: PaymentFilter & { readonly minSeq?: number | undefined }) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const rows = yield* tryDb(() => db.selectFrom("payments").where(matching(db, params))
    .select((eb) => [
      "payments.currency", eb.fn.countAll<string>().as("count"),
      sumOf("payments.amount").as("gross"), sumOf("payments.refunded_amount").as("refunded"), sumOf("payments.net_amount").as("net"),
    ])
    .groupBy("payments.currency").orderBy("payments.currency").execute())
  return rows.map((r): PaymentTotalsView => ({
    currency: r.currency, count: Number(r.count), gross: Number(r.gross), refunded: Number(r.refunded), net: Number(r.net),
  }))
})

export interface DailySalesView {
  readonly kiosk_id: string
  /** UTC day, YYYY-MM-DD. */
  readonly day: string
  readonly currency: string
  readonly payment_count: number
  readonly gross: number
  readonly refund_count: number
  readonly refunds: number
  readonly net: number
}

export interface DailySalesParams {
  readonly scope: Scope
  readonly kioskId?: string | undefined
  readonly currency?: string | undefined
  /** First day included, YYYY-MM-DD. */
  readonly from?: string | undefined
  /** Last day included, YYYY-MM-DD. */
  readonly to?: string | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
  readonly minSeq?: number | undefined
}

/** Newest day first; within a day by kiosk and currency. */
export const dailySales = Effect.fn("projections.dailySales")(function* (params: DailySalesParams) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const paging = pageRequest("-day", params, { day: "day" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, limit, position } = paging

  let query = daysInScope(db, params.scope).selectAll()
  if (params.kioskId !== undefined) query = query.where("kiosk_id", "=", params.kioskId)
  if (params.currency !== undefined) query = query.where("currency", "=", params.currency)
  if (params.from !== undefined) query = query.where("day", ">=", params.from)
  if (params.to !== undefined) query = query.where("day", "<=", params.to)
  if (position !== undefined) {
    // After (day, kiosk, currency) of the cursor: day descending, then kiosk and currency ascending.
    const [kioskId = "", currency = ""] = position.id.split("/")
    const day = String(position.key)
    query = query.where((eb) => eb.or([
      eb("day", "<", day),
      eb.and([eb("day", "=", day), eb(eb.refTuple("kiosk_id", "currency"), ">", eb.tuple(kioskId, currency))]),
    ]))
  }
  query = query.orderBy("day", "desc").orderBy("kiosk_id").orderBy("currency").limit(limit + 1)
  const rows = yield* tryDb(() => query.execute())
  return toPage(rows, limit, (r): DailySalesView => r, (r) => ({ key: r.day, id: `${r.kiosk_id}/${r.currency}` }), sort) satisfies Page<DailySalesView>
})

export interface SalesDayView {
  /** UTC day, YYYY-MM-DD. */
  readonly date: string
  readonly currency: string
  /** Minor units. */
  readonly gross: number
  readonly refunds: number
  readonly net: number
  /** Payments taken that day. */
  readonly count: number
}

export interface SalesByDayParams {
  readonly scope: Scope
  /** First day included, YYYY-MM-DD. */
  readonly from: string
  /** Last day included, YYYY-MM-DD. */
  readonly to: string
  readonly kioskId?: string | undefined
  readonly minSeq?: number | undefined
}

/**
 * Sales per UTC day and currency over a range, summed over the caller's kiosks (or one kiosk): the dashboard's
 * chart and a kiosk page's. Days without sales are absent. The caller bounds the range, so the answer is small.
 */
export const salesByDay = Effect.fn("projections.salesByDay")(function* (params: SalesByDayParams) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  let query = daysInScope(db, params.scope)
    .select((eb) => [
      "day", "currency",
      eb.fn.sum<string>("gross").as("gross"),
      eb.fn.sum<string>("refunds").as("refunds"),
      eb.fn.sum<string>("net").as("net"),
      eb.fn.sum<string>("payment_count").as("count"),
    ])
    .where("day", ">=", params.from)
    .where("day", "<=", params.to)
  if (params.kioskId !== undefined) query = query.where("kiosk_id", "=", params.kioskId)
  const rows = yield* tryDb(() => query.groupBy(["day", "currency"]).orderBy("day").orderBy("currency").execute())
  // Sums of bigint columns come back as numeric strings; each stays well inside 2^53 for a bounded range.
  return rows.map((r): SalesDayView => ({
    date: r.day, currency: r.currency, gross: Number(r.gross), refunds: Number(r.refunds), net: Number(r.net), count: Number(r.count),
  }))
})
