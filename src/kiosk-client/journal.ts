// The kiosk's local book: an append-only journal of what happened on the device (a sale queued, its delivery or
// rejection, a new credential), and the state folded from it. Pure: the stores (file, IndexedDB) only keep records.

/** A sale as the kiosk took it: key and business time are fixed at the moment of sale, never at delivery. */
export interface QueuedPayment {
  /** The Idempotency-Key: every delivery attempt of this sale sends the same one. */
  readonly key: string
  readonly kioskId: string
  /** Integer minor units (1250 = 12.50 EUR). */
  readonly amount: number
  readonly currency: string
  /** The kiosk's clock when the sale happened (ISO 8601). */
  readonly occurredAt: string
}

/** What the edge said when it refused a payment for good (RFC 9457 fields, as sent). */
export interface RejectionProblem {
  readonly type: string
  readonly title: string
  readonly detail: string
}

export interface Rejection {
  readonly payment: QueuedPayment
  readonly status: number
  readonly problem: RejectionProblem
  readonly at: string
}

export interface Delivery {
  readonly key: string
  readonly paymentId: string
  /** The PAYMENTS stream sequence the edge answered with. */
  readonly seq: number
  readonly at: string
}

export type JournalRecord =
  | { readonly kind: "credential"; readonly token: string; readonly at: string }
  | { readonly kind: "queued"; readonly payment: QueuedPayment }
  | ({ readonly kind: "delivered" } & Delivery)
  | { readonly kind: "rejected"; readonly key: string; readonly status: number; readonly problem: RejectionProblem; readonly at: string }
  /** Written by compaction in place of the delivered records it drops, so the counters survive it. */
  | { readonly kind: "totals"; readonly delivered: number; readonly lastDelivered: Delivery | null }

export interface LedgerState {
  token: string | null
  /** Undelivered sales in order of sale (a Map keeps insertion order and drops a delivered key in O(1)). */
  readonly queue: Map<string, QueuedPayment>
  readonly rejected: Array<Rejection>
  delivered: number
  lastDelivered: Delivery | null
  /** Records a compaction would drop: how much the journal has grown past what it must keep. */
  settledSinceCompaction: number
}

export const emptyLedger = (): LedgerState => ({
  token: null, queue: new Map(), rejected: [], delivered: 0, lastDelivered: null, settledSinceCompaction: 0,
})

/**
 * Folds one record into the state, in place (replaying a long journal stays linear). Idempotent: a record for a
 * sale that is no longer queued (a delivery recorded twice, a replayed journal) changes nothing.
 */
export function applyRecord(state: LedgerState, record: JournalRecord): void {
  switch (record.kind) {
    case "credential":
      state.token = record.token
      return
    case "queued":
      if (!state.rejected.some((r) => r.payment.key === record.payment.key)) state.queue.set(record.payment.key, record.payment)
      return
    case "delivered":
      if (!state.queue.delete(record.key)) return
      state.delivered += 1
      state.lastDelivered = { key: record.key, paymentId: record.paymentId, seq: record.seq, at: record.at }
      state.settledSinceCompaction += 2
      return
    case "rejected": {
      const payment = state.queue.get(record.key)
      if (payment === undefined) return
      state.queue.delete(record.key)
      state.rejected.push({ payment, status: record.status, problem: record.problem, at: record.at })
      return
    }
    case "totals":
      state.delivered = record.delivered
      state.lastDelivered = record.lastDelivered
      return
  }
}

export function foldJournal(records: Iterable<JournalRecord>): LedgerState {
  const state = emptyLedger()
  for (const record of records) applyRecord(state, record)
  return state
}

/** The shortest journal that folds to the same state: delivered sales shrink to their count. */
export function compactJournal(state: LedgerState, at: string): ReadonlyArray<JournalRecord> {
  return [
    ...(state.token === null ? [] : [{ kind: "credential", token: state.token, at } as const]),
    { kind: "totals", delivered: state.delivered, lastDelivered: state.lastDelivered },
    ...state.rejected.flatMap((r): ReadonlyArray<JournalRecord> => [
      { kind: "queued", payment: r.payment },
      { kind: "rejected", key: r.payment.key, status: r.status, problem: r.problem, at: r.at },
    ]),
    ...[...state.queue.values()].map((payment): JournalRecord => ({ kind: "queued", payment })),
  ]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null
const isText = (v: unknown): v is string => typeof v === "string"
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

const isPayment = (v: unknown): v is QueuedPayment =>
  isObject(v) && isText(v.key) && isText(v.kioskId) && isCount(v.amount) && isText(v.currency) && isText(v.occurredAt)
const isDelivery = (v: Record<string, unknown>) => isText(v.key) && isText(v.paymentId) && isCount(v.seq) && isText(v.at)
const isProblem = (v: unknown): v is RejectionProblem => isObject(v) && isText(v.type) && isText(v.title) && isText(v.detail)

/** A stored record read back (a file line, an IndexedDB value): checked, since a store holds plain JSON. */
export function isJournalRecord(value: unknown): value is JournalRecord {
  if (!isObject(value)) return false
  switch (value.kind) {
    case "credential": return isText(value.token) && isText(value.at)
    case "queued": return isPayment(value.payment)
    case "delivered": return isDelivery(value)
    case "rejected": return isText(value.key) && isCount(value.status) && isProblem(value.problem) && isText(value.at)
    case "totals": return isCount(value.delivered) && (value.lastDelivered === null || (isObject(value.lastDelivered) && isDelivery(value.lastDelivered)))
    default: return false
  }
}

/** A journal that does not read back as one: refused, since guessing could lose or repeat a sale. */
export class JournalCorrupt extends Error {
  override readonly name = "JournalCorrupt"
}
