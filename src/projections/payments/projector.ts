// PAYMENTS → payments (each with its refunds and net amount), payment_refunds, and daily sales per kiosk and per
// operator (the payment's operator at the time).
//
// Set-based: a batch costs a handful of statements whatever its size (columns travel as arrays through
// unnest), which is what lets a rebuild replay a long audit log quickly. The end state doesn't depend on order within a batch (rows are inserted once,
// totals are sums, and a refund always comes after its payment in the stream), so payments go in first,
// then refunds, then the day totals.
import { sql, type Transaction } from "kysely"
import type { Database, KioskDailySalesTable, OperatorDailySalesTable } from "../db.ts"
import { type ArrayElement, arrayLiteral } from "../engine/arrayLiteral.ts"
import { defineProjection, type EventOnStream, ignoreUnknown, type RecordedEvent, type RecordedOf, timeClamped } from "../engine/projection.ts"

type Recorded = RecordedOf<"PaymentRecorded">
type Refunded = RecordedOf<"PaymentRefunded">

/** UTC calendar day of an ISO instant: the events' instants are UTC (`…Z`), so it is the date part. */
const utcDay = (instant: string) => instant.slice(0, 10)

/** When a refund was made: its own time when history was imported, else when it was recorded. */
const refundTime = (event: Refunded) => event.data.refundedAt ?? event.time

/** One array per column, so a batch of any size is one statement with ten parameters (not ten per row). */
const column = <T>(rows: ReadonlyArray<T>, pick: (row: T) => ArrayElement): string => arrayLiteral(rows, pick)

/** Inserts what is new; returns the new ones. Replayed payments change nothing, so they can't count twice. */
async function insertPayments(trx: Transaction<Database>, events: ReadonlyArray<Recorded>): Promise<ReadonlyArray<Recorded>> {
  const { rows } = await sql<{ payment_id: string }>`
    insert into payments (payment_id, kiosk_id, operator_id, amount, currency, occurred_at, recorded_at, net_amount, seq, time_clamped)
    select * from unnest(
      ${column(events, (e) => e.data.paymentId)}::text[], ${column(events, (e) => e.data.kioskId)}::text[],
      ${column(events, (e) => e.data.operatorId)}::text[], ${column(events, (e) => e.data.amount)}::bigint[],
      ${column(events, (e) => e.data.currency)}::text[], ${column(events, (e) => e.data.occurredAt)}::timestamptz[],
      ${column(events, (e) => e.time)}::timestamptz[], ${column(events, (e) => e.data.amount)}::bigint[],
      ${column(events, (e) => e.seq)}::bigint[], ${column(events, timeClamped)}::boolean[])
    on conflict (payment_id) do nothing
    returning payment_id`.execute(trx)
  const fresh = new Set(rows.map((r) => r.payment_id))
  return events.filter((e) => fresh.delete(e.data.paymentId))
}

async function insertRefunds(trx: Transaction<Database>, events: ReadonlyArray<Refunded>): Promise<ReadonlyArray<Refunded>> {
  const { rows } = await sql<{ refund_id: string }>`
    insert into payment_refunds (refund_id, payment_id, kiosk_id, operator_id, amount, currency, reason, refunded_at, seq, time_clamped)
    select * from unnest(
      ${column(events, (e) => e.data.refundId)}::text[], ${column(events, (e) => e.data.paymentId)}::text[],
      ${column(events, (e) => e.data.kioskId)}::text[], ${column(events, (e) => e.data.operatorId)}::text[],
      ${column(events, (e) => e.data.amount)}::bigint[], ${column(events, (e) => e.data.currency)}::text[],
      ${column(events, (e) => e.data.reason)}::text[], ${column(events, refundTime)}::timestamptz[],
      ${column(events, (e) => e.seq)}::bigint[], ${column(events, timeClamped)}::boolean[])
    on conflict (refund_id) do nothing
    returning refund_id`.execute(trx)
  const fresh = new Set(rows.map((r) => r.refund_id))
  return events.filter((e) => fresh.delete(e.data.refundId))
}

/** Each refunded payment's totals move by the sum of its new refunds, in one statement. */
async function applyRefundsToPayments(trx: Transaction<Database>, refunds: ReadonlyArray<Refunded>) {
  const byPayment = new Map<string, { amount: number; count: number }>()
  for (const { data } of refunds) {
    const total = byPayment.get(data.paymentId) ?? { amount: 0, count: 0 }
    byPayment.set(data.paymentId, { amount: total.amount + data.amount, count: total.count + 1 })
  }
  const totals = [...byPayment]
  await sql`
    update payments as p set
      refunded_amount = p.refunded_amount + r.amount,
      refund_count = p.refund_count + r.count,
      net_amount = p.net_amount - r.amount
    from unnest(${column(totals, ([id]) => id)}::text[], ${column(totals, ([, t]) => t.amount)}::bigint[],
      ${column(totals, ([, t]) => t.count)}::integer[]) as r(payment_id, amount, count)
    where p.payment_id = r.payment_id`.execute(trx)
}

/** One (kiosk, day, currency) row of daily sales, and the same per operator. */
type Day = KioskDailySalesTable
type OperatorDay = OperatorDailySalesTable

/** A payment or refund as it moves a day's totals. */
interface Movement {
  readonly kioskId: string
  readonly operatorId: string | null
  readonly day: string
  readonly currency: string
  readonly payments: number
  readonly gross: number
  readonly refunds: number
  readonly refunded: number
}

function movementsOf(payments: ReadonlyArray<Recorded>, refunds: ReadonlyArray<Refunded>): Array<Movement> {
  const moves: Array<Movement> = []
  for (const { data } of payments) {
    moves.push({ kioskId: data.kioskId, operatorId: data.operatorId, day: utcDay(data.occurredAt), currency: data.currency, payments: 1, gross: data.amount, refunds: 0, refunded: 0 })
  }
  // A refund counts on the day it was made (as in the till's books), not on the payment's day; it carries its
  // payment's operator, so it lands in the same operator's books.
  for (const refund of refunds) {
    const { data } = refund
    moves.push({ kioskId: data.kioskId, operatorId: data.operatorId, day: utcDay(refundTime(refund)), currency: data.currency, payments: 0, gross: 0, refunds: 1, refunded: data.amount })
  }
  return moves
}

/**
 * Day totals summed per key: one row per key, as one upsert may touch a row once. A live batch writes its own; a
 * rebuild's replay keeps adding to one and writes it now and then (the totals are sums, so the rows are the same).
 */
class DayTotals {
  private readonly days = new Map<string, Day>()
  private readonly operatorDays = new Map<string, OperatorDay>()

  add(payments: ReadonlyArray<Recorded>, refunds: ReadonlyArray<Refunded>): void {
    for (const move of movementsOf(payments, refunds)) {
      // Ids, days and currency codes hold no space, so the joined key names one row.
      const day = `${move.kioskId} ${move.day} ${move.currency}`
      addMove(this.days, day, () => emptyDay(move), move)
      const { operatorId } = move
      if (operatorId !== null) addMove(this.operatorDays, `${operatorId} ${day}`, () => ({ operator_id: operatorId, ...emptyDay(move) }), move)
    }
  }

  clear(): void {
    this.days.clear()
    this.operatorDays.clear()
  }

  /** Adds the totals to each (kiosk, day, currency), and to each (operator, kiosk, day, currency). */
  async write(trx: Transaction<Database>): Promise<void> {
    for (const days of chunks([...this.days.values()])) {
      await sql`
        insert into kiosk_daily_sales (kiosk_id, day, currency, payment_count, gross, refund_count, refunds, net)
        select * from unnest(${dayColumns(days)})
        on conflict (kiosk_id, day, currency) do update set ${addExcluded("kiosk_daily_sales")}`.execute(trx)
    }
    for (const operatorDays of chunks([...this.operatorDays.values()])) {
      await sql`
        insert into operator_daily_sales (operator_id, kiosk_id, day, currency, payment_count, gross, refund_count, refunds, net)
        select * from unnest(${column(operatorDays, (r) => r.operator_id)}::text[], ${dayColumns(operatorDays)})
        on conflict (operator_id, kiosk_id, day, currency) do update set ${addExcluded("operator_daily_sales")}`.execute(trx)
    }
  }
}

function addMove<Row extends Day>(rows: Map<string, Row>, key: string, fresh: () => Row, move: Movement): void {
  let row = rows.get(key)
  if (row === undefined) rows.set(key, (row = fresh()))
  row.payment_count += move.payments
  row.gross += move.gross
  row.refund_count += move.refunds
  row.refunds += move.refunded
  row.net += move.gross - move.refunded
}

/** Rows per statement when a rebuild writes its totals (a live batch's fit in one). */
const CHUNK = 10_000
const chunks = <T>(rows: ReadonlyArray<T>): Array<ReadonlyArray<T>> =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK))

const emptyDay = (move: Movement): Day =>
  ({ kiosk_id: move.kioskId, day: move.day, currency: move.currency, payment_count: 0, gross: 0, refund_count: 0, refunds: 0, net: 0 })

/** The eight columns of day rows, as arrays for unnest. */
const dayColumns = (rows: ReadonlyArray<Day>) => sql.join([
  sql`${column(rows, (r) => r.kiosk_id)}::text[]`, sql`${column(rows, (r) => r.day)}::date[]`, sql`${column(rows, (r) => r.currency)}::text[]`,
  sql`${column(rows, (r) => r.payment_count)}::integer[]`, sql`${column(rows, (r) => r.gross)}::bigint[]`,
  sql`${column(rows, (r) => r.refund_count)}::integer[]`, sql`${column(rows, (r) => r.refunds)}::bigint[]`, sql`${column(rows, (r) => r.net)}::bigint[]`,
])

const TOTALS = ["payment_count", "gross", "refund_count", "refunds", "net"] as const
const addExcluded = (table: "kiosk_daily_sales" | "operator_daily_sales") =>
  sql.join(TOTALS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`))

/** Inserts the batch's new payments and refunds, and moves each refunded payment's totals; answers what was new. */
async function applyRows(trx: Transaction<Database>, events: ReadonlyArray<RecordedEvent>) {
  const recorded: Array<Recorded> = []
  const refunded: Array<Refunded> = []
  for (const event of events as ReadonlyArray<EventOnStream<"PAYMENTS">>) {
    if (event.type === "PaymentRecorded") recorded.push(event)
    else if (event.type === "PaymentRefunded") refunded.push(event)
    else ignoreUnknown(event)
  }
  const payments = recorded.length === 0 ? [] : await insertPayments(trx, recorded)
  const refunds = refunded.length === 0 ? [] : await insertRefunds(trx, refunded)
  if (refunds.length > 0) await applyRefundsToPayments(trx, refunds)
  return { payments, refunds }
}

export const paymentsProjection = defineProjection({
  name: "payments",
  stream: "PAYMENTS",
  tables: ["payments", "payment_refunds", "kiosk_daily_sales", "operator_daily_sales"],
  async apply(trx, events) {
    const { payments, refunds } = await applyRows(trx, events)
    if (payments.length === 0 && refunds.length === 0) return
    const totals = new DayTotals()
    totals.add(payments, refunds)
    await totals.write(trx)
  },
  // A replay upserts each day row once per flush, instead of once per batch: most of its Postgres time otherwise.
  // The totals are added only once a batch's rows went in (last, after every statement that can fail), so a batch
  // rolled back, or a message parked, adds nothing.
  replay() {
    const totals = new DayTotals()
    return {
      async apply(trx, events) {
        const { payments, refunds } = await applyRows(trx, events)
        totals.add(payments, refunds)
      },
      async flush(trx) {
        await totals.write(trx)
        totals.clear()
      },
    }
  },
})
