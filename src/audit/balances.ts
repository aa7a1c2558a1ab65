// Balances as of an instant or a stream sequence, by replaying PAYMENTS up to it: per kiosk and currency, what was
// taken, what was refunded and the net, as the book stood then (by recorded time, not the kiosk's clock).
import type { Naming } from "../platform/index.ts"
import { type Clients, replayEnd, replayPayments } from "./replay.ts"

export interface Balance {
  readonly kiosk_id: string
  readonly kiosk_name: string | null
  readonly currency: string
  readonly payments: number
  readonly gross: number
  readonly refunds: number
  readonly refunded: number
  readonly net: number
}

/** `asOf`: a sequence (everything up to and including it) or an instant (everything recorded before it). */
export async function balancesAsOf(clients: Clients, names: Naming, asOf: number | string, kioskId?: string, signal?: AbortSignal) {
  const range = typeof asOf === "number" ? { toSeq: asOf, kioskId } : { recordedTo: asOf, kioskId }
  const end = await replayEnd(clients, names, range)
  const byKey = new Map<string, { -readonly [K in keyof Balance]: Balance[K] }>()
  let throughSeq = 0
  for await (const row of replayPayments(clients, names, { ...range, toSeq: end }, { signal })) {
    throughSeq = row.seq
    const key = `${row.kiosk_id}|${row.currency}`
    const b = byKey.get(key) ?? { kiosk_id: row.kiosk_id, kiosk_name: null, currency: row.currency, payments: 0, gross: 0, refunds: 0, refunded: 0, net: 0 }
    b.kiosk_name = row.kiosk_name
    if (row.type === "PaymentRecorded") {
      b.payments++
      b.gross += row.amount
    } else {
      b.refunds++
      b.refunded += row.amount
    }
    b.net = b.gross - b.refunded
    byKey.set(key, b)
  }
  const items: ReadonlyArray<Balance> = [...byKey.values()].sort((a, b) => a.kiosk_id.localeCompare(b.kiosk_id) || a.currency.localeCompare(b.currency))
  return { through_seq: throughSeq, items }
}
