// PAYMENTS → payments (each with its refunds and net amount), payment_refunds, and per-kiosk daily sales.
//
// Set-based: a batch costs a handful of statements whatever its size (columns travel as arrays through
// unnest), which is what lets a rebuild replay a long audit log quickly. The end state doesn't depend on order within a batch (rows are inserted once,
// totals are sums, and a refund always comes after its payment in the stream), so payments go in first,
// then refunds, then the day totals.
import { sql, type Transaction } from "kysely"
import type { Database, KioskDailySalesTable } from "../db.ts"
import { defineProjection, type EventOnStream, ignoreUnknown, type RecordedOf } from "../engine/projection.ts"

type Recorded = RecordedOf<"PaymentRecorded">
type Refunded = RecordedOf<"PaymentRefunded">

/** UTC calendar day of an ISO instant: the events' instants are UTC (`…Z`), so it is the date part. */
const utcDay = (instant: string) => instant.slice(0, 10)

/** One array per column, so a batch of any size is one statement with nine parameters (not nine per row). */
const column = <T, V>(rows: ReadonlyArray<T>, pick: (row: T) => V): Array<V> => rows.map(pick)

/** Inserts what is new; returns the new ones. Replayed payments change nothing, so they can't count twice. */
async function insertPayments(trx: Transaction<Database>, events: ReadonlyArray<Recorded>): Promise<ReadonlyArray<Recorded>> {
  const { rows } = await sql<{ payment_id: string }>`
    insert into payments (payment_id, kiosk_id, operator_id, amount, currency, occurred_at, recorded_at, net_amount, seq)
    select * from unnest(
      ${column(events, (e) => e.data.paymentId)}::text[], ${column(events, (e) => e.data.kioskId)}::text[],
      ${column(events, (e) => e.data.operatorId)}::text[], ${column(events, (e) => e.data.amount)}::bigint[],
      ${column(events, (e) => e.data.currency)}::text[], ${column(events, (e) => e.data.occurredAt)}::timestamptz[],
      ${column(events, (e) => e.time)}::timestamptz[], ${column(events, (e) => e.data.amount)}::bigint[],
      ${column(events, (e) => e.seq)}::bigint[])
    on conflict (payment_id) do nothing
    returning payment_id`.execute(trx)
  const fresh = new Set(rows.map((r) => r.payment_id))
  return events.filter((e) => fresh.delete(e.data.paymentId))
}

async function insertRefunds(trx: Transaction<Database>, events: ReadonlyArray<Refunded>): Promise<ReadonlyArray<Refunded>> {
  const { rows } = await sql<{ refund_id: string }>`
    insert into payment_refunds (refund_id, payment_id, kiosk_id, operator_id, amount, currency, reason, refunded_at, seq)
    select * from unnest(
      ${column(events, (e) => e.data.refundId)}::text[], ${column(events, (e) => e.data.paymentId)}::text[],
      ${column(events, (e) => e.data.kioskId)}::text[], ${column(events, (e) => e.data.operatorId)}::text[],
      ${column(events, (e) => e.data.amount)}::bigint[], ${column(events, (e) => e.data.currency)}::text[],
      ${column(events, (e) => e.data.reason)}::text[], ${column(events, (e) => e.time)}::timestamptz[],
      ${column(events, (e) => e.seq)}::bigint[])
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

/** One (kiosk, day, currency) row of daily sales, as the table holds it. */
type Day = KioskDailySalesTable

/** Adds the batch's totals to each (kiosk, day, currency): one row per key, as one upsert may touch a row once. */
async function addToDays(trx: Transaction<Database>, payments: ReadonlyArray<Recorded>, refunds: ReadonlyArray<Refunded>) {
  const days = new Map<string, Day>()
  const day = (kiosk_id: string, date: string, currency: string) => {
    const key = `${kiosk_id}|${date}|${currency}`
    let row = days.get(key)
    if (row === undefined) {
      row = { kiosk_id, day: date, currency, payment_count: 0, gross: 0, refund_count: 0, refunds: 0, net: 0 }
      days.set(key, row)
    }
    return row
  }
  for (const { data } of payments) {
    const row = day(data.kioskId, utcDay(data.occurredAt), data.currency)
    row.payment_count += 1
    row.gross += data.amount
    row.net += data.amount
  }
  // A refund counts on the day it was made (as in the till's books), not on the payment's day.
  for (const { data, time } of refunds) {
    const row = day(data.kioskId, utcDay(time), data.currency)
    row.refund_count += 1
    row.refunds += data.amount
    row.net -= data.amount
  }
  const rows = [...days.values()]
  await sql`
    insert into kiosk_daily_sales (kiosk_id, day, currency, payment_count, gross, refund_count, refunds, net)
    select * from unnest(
      ${column(rows, (r) => r.kiosk_id)}::text[], ${column(rows, (r) => r.day)}::date[], ${column(rows, (r) => r.currency)}::text[],
      ${column(rows, (r) => r.payment_count)}::integer[], ${column(rows, (r) => r.gross)}::bigint[],
      ${column(rows, (r) => r.refund_count)}::integer[], ${column(rows, (r) => r.refunds)}::bigint[], ${column(rows, (r) => r.net)}::bigint[])
    on conflict (kiosk_id, day, currency) do update set
      payment_count = kiosk_daily_sales.payment_count + excluded.payment_count,
      gross = kiosk_daily_sales.gross + excluded.gross,
      refund_count = kiosk_daily_sales.refund_count + excluded.refund_count,
      refunds = kiosk_daily_sales.refunds + excluded.refunds,
      net = kiosk_daily_sales.net + excluded.net`.execute(trx)
}

export const paymentsProjection = defineProjection({
  name: "payments",
  stream: "PAYMENTS",
  tables: ["payments", "payment_refunds", "kiosk_daily_sales"],
  async apply(trx, events) {
    const recorded: Array<Recorded> = []
    const refunded: Array<Refunded> = []
    for (const event of events as ReadonlyArray<EventOnStream<"PAYMENTS">>) {
      if (event.type === "PaymentRecorded") recorded.push(event)
      else if (event.type === "PaymentRefunded") refunded.push(event)
      else ignoreUnknown(event)
    }
    const newPayments = recorded.length === 0 ? [] : await insertPayments(trx, recorded)
    const newRefunds = refunded.length === 0 ? [] : await insertRefunds(trx, refunded)
    if (newRefunds.length > 0) await applyRefundsToPayments(trx, newRefunds)
    if (newPayments.length > 0 || newRefunds.length > 0) await addToDays(trx, newPayments, newRefunds)
  },
})
