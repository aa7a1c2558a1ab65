// PAYMENTS → payments (each with its refunds and net amount), payment_refunds, and per-kiosk daily sales.
//
// Set-based: a batch costs a handful of statements whatever its size, which is what lets a rebuild replay a
// long audit log quickly. The end state doesn't depend on order within a batch (rows are inserted once,
// totals are sums, and a refund always comes after its payment in the stream), so payments go in first,
// then refunds, then the day totals.
import { sql, type Transaction } from "kysely"
import type { Database } from "../db.ts"
import { defineProjection, type EventOnStream, ignoreUnknown, type RecordedOf } from "../engine/projection.ts"

type Recorded = RecordedOf<"PaymentRecorded">
type Refunded = RecordedOf<"PaymentRefunded">

/** UTC calendar day of an ISO instant: the events' instants are UTC (`…Z`), so it is the date part. */
const utcDay = (instant: string) => instant.slice(0, 10)

/** Rows per statement, well under Postgres' 65,535 bind parameters. */
const CHUNK = 1_000

function chunks<T>(items: ReadonlyArray<T>): Array<ReadonlyArray<T>> {
  const out: Array<ReadonlyArray<T>> = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/** Inserts what is new; returns the new ones. Replayed payments change nothing, so they can't count twice. */
async function insertPayments(trx: Transaction<Database>, events: ReadonlyArray<Recorded>): Promise<ReadonlyArray<Recorded>> {
  const fresh = new Set<string>()
  for (const part of chunks(events)) {
    const inserted = await trx.insertInto("payments").values(part.map(({ data, time, seq }) => ({
      payment_id: data.paymentId,
      kiosk_id: data.kioskId,
      operator_id: data.operatorId,
      amount: data.amount,
      currency: data.currency,
      occurred_at: data.occurredAt,
      recorded_at: time,
      net_amount: data.amount,
      seq,
    }))).onConflict((oc) => oc.column("payment_id").doNothing()).returning("payment_id").execute()
    for (const row of inserted) fresh.add(row.payment_id)
  }
  return events.filter((e) => fresh.delete(e.data.paymentId))
}

async function insertRefunds(trx: Transaction<Database>, events: ReadonlyArray<Refunded>): Promise<ReadonlyArray<Refunded>> {
  const fresh = new Set<string>()
  for (const part of chunks(events)) {
    const inserted = await trx.insertInto("payment_refunds").values(part.map(({ data, time, seq }) => ({
      refund_id: data.refundId,
      payment_id: data.paymentId,
      kiosk_id: data.kioskId,
      operator_id: data.operatorId,
      amount: data.amount,
      currency: data.currency,
      reason: data.reason,
      refunded_at: time,
      seq,
    }))).onConflict((oc) => oc.column("refund_id").doNothing()).returning("refund_id").execute()
    for (const row of inserted) fresh.add(row.refund_id)
  }
  return events.filter((e) => fresh.delete(e.data.refundId))
}

/** Each refunded payment's totals move by the sum of its new refunds, in one statement. */
async function applyRefundsToPayments(trx: Transaction<Database>, refunds: ReadonlyArray<Refunded>) {
  const byPayment = new Map<string, { amount: number; count: number }>()
  for (const { data } of refunds) {
    const total = byPayment.get(data.paymentId) ?? { amount: 0, count: 0 }
    byPayment.set(data.paymentId, { amount: total.amount + data.amount, count: total.count + 1 })
  }
  for (const part of chunks([...byPayment])) {
    const values = sql.join(part.map(([id, t]) => sql`(${id}::text, ${t.amount}::bigint, ${t.count}::integer)`))
    await sql`
      update payments as p set
        refunded_amount = p.refunded_amount + r.amount,
        refund_count = p.refund_count + r.count,
        net_amount = p.net_amount - r.amount
      from (values ${values}) as r(payment_id, amount, count)
      where p.payment_id = r.payment_id`.execute(trx)
  }
}

interface Day {
  kiosk_id: string
  day: string
  currency: string
  payment_count: number
  gross: number
  refund_count: number
  refunds: number
  net: number
}

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
  for (const part of chunks([...days.values()])) {
    await trx.insertInto("kiosk_daily_sales").values(part)
      .onConflict((oc) => oc.columns(["kiosk_id", "day", "currency"]).doUpdateSet((eb) => ({
        payment_count: eb("kiosk_daily_sales.payment_count", "+", eb.ref("excluded.payment_count")),
        gross: eb("kiosk_daily_sales.gross", "+", eb.ref("excluded.gross")),
        refund_count: eb("kiosk_daily_sales.refund_count", "+", eb.ref("excluded.refund_count")),
        refunds: eb("kiosk_daily_sales.refunds", "+", eb.ref("excluded.refunds")),
        net: eb("kiosk_daily_sales.net", "+", eb.ref("excluded.net")),
      })))
      .execute()
  }
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
