// Payment commands. Recording a new payment is one append (expected version 0 reserves the key); the kiosk comes
// from the process's kiosk states (or a bounded load: snapshot plus a few events). Only a retry reads the payment's
// subject, and only its first commit. Never the payment history.
import { Effect } from "effect"
import { newId, Settings } from "../../platform/index.ts"
import { EventStore, StoreUnavailable, type StoredCommit } from "../eventStore/index.ts"
import { aggregate } from "../shared/aggregate.ts"
import { fingerprint, kioskIdOfPayment, paymentIdFor, refundIdFor } from "../identity.ts"
import { currentKioskState } from "../kiosk/handlers.ts"
import type { Actor, CommandContext } from "../shared/envelope.ts"
import { NotFound } from "../shared/errors.ts"
import { paymentView } from "../views.ts"
import { type KioskFacts, paymentDecider, type PaymentState } from "./decide.ts"

// A payment id embeds its kiosk's id (see identity.ts), so the id alone finds the payment's subject.
const payments = aggregate(paymentDecider, "PAYMENTS", (names, paymentId) =>
  names.subject.payment(kioskIdOfPayment(paymentId) ?? "unknown", paymentId))

export interface RecordPayment {
  readonly kioskId: string
  readonly amount: number
  readonly currency: string
  /** The kiosk's own time of sale; now when absent. */
  readonly occurredAt?: string | undefined
  readonly idempotencyKey: string
  /**
   * How many days back `occurredAt` may lie: the KIOSK_FORWARD_WINDOW_DAYS setting when absent. Only an importer
   * of history (demo seed) passes its own.
   */
  readonly maxAgeDays?: number | undefined
}

export const recordPayment = Effect.fnUntraced(function* (input: RecordPayment, context: CommandContext) {
  const { kioskForwardWindowDays } = yield* Settings
  const now = new Date().toISOString()
  const paymentId = paymentIdFor(input.kioskId, input.idempotencyKey)
  const kiosk = yield* currentKioskState(input.kioskId)
  const facts: KioskFacts = kiosk.status === "none"
    ? { status: "none", operatorId: null }
    : { status: kiosk.status, operatorId: kiosk.operatorId }
  // A new key is the usual case: append first (one round trip). A retry reads the payment's first commit only: the
  // same key must carry the same request, and the answer is the original recording, whatever happened since.
  const result = yield* payments.run(paymentId, {
    type: "RecordPayment",
    paymentId,
    kioskId: input.kioskId,
    amount: input.amount,
    currency: input.currency,
    occurredAt: input.occurredAt ?? now,
    requestHash: fingerprint({ amount: input.amount, currency: input.currency, occurredAt: input.occurredAt ?? null }),
    kiosk: facts,
    clock: { now, maxAgeDays: input.maxAgeDays ?? kioskForwardWindowDays },
  }, context, { expectNew: "retry-from-first" })
  if (result.state.status === "none") return yield* new NotFound({ message: "payment not found" })
  return { payment: paymentView(result.state), seq: result.seq, replayed: result.events.length === 0 }
})

export interface RefundPayment {
  readonly amount: number
  readonly reason?: string | undefined
  /** Makes the refund happen once however often it is retried. */
  readonly idempotencyKey?: string | undefined
  /** When the refund was made, for history imported later (demo seed); how far back it may lie, in days. */
  readonly refundedAt?: { readonly at: string; readonly maxAgeDays: number } | undefined
}

export const refundPayment = Effect.fn("refundPayment")(function* (paymentId: string, input: RefundPayment, context: CommandContext) {
  if (kioskIdOfPayment(paymentId) === undefined) return yield* new NotFound({ message: "payment not found" })
  const refundId = input.idempotencyKey === undefined ? newId("rfd") : refundIdFor(paymentId, input.idempotencyKey)
  // A new key is the usual case: append first (one round trip); only a retry reads the subject.
  const result = yield* payments.run(paymentId, {
    type: "RefundPayment", refundId, amount: input.amount, reason: input.reason ?? "",
    refundedAt: input.refundedAt === undefined
      ? undefined
      : { at: input.refundedAt.at, clock: { now: new Date().toISOString(), maxAgeDays: input.refundedAt.maxAgeDays } },
  }, context)
  return {
    /** False when this key's refund was already there and nothing was appended. */
    appended: result.events.length > 0,
    payment: paymentView(result.state as Exclude<PaymentState, { status: "none" }>),
    refund: { id: refundId, amount: input.amount },
    seq: result.seq,
  }
})

/** One commit on a payment's subject, as its detail page shows it: position, time, who, and the events. */
export interface PaymentHistoryEntry {
  readonly seq: number
  readonly time: string
  readonly actor: Actor
  readonly correlationId: string
  readonly events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>
}

/** Every commit on the payment's own subject, read from PAYMENTS (the audit log), oldest first. */
export const paymentHistory = Effect.fn("paymentHistory")(function* (paymentId: string) {
  if (kioskIdOfPayment(paymentId) === undefined) return yield* new NotFound({ message: "payment not found" })
  const store = yield* EventStore
  const { stream, subject } = yield* payments.target(paymentId)
  const commits = yield* Effect.tryPromise({
    try: async () => {
      const all: Array<StoredCommit> = []
      for await (const commit of store.replay(stream, { subject, untilEnd: true })) all.push(commit)
      return all
    },
    catch: (cause) => new StoreUnavailable({ message: `reading the history of payment ${paymentId} failed`, cause }),
  })
  return commits.map((stored): PaymentHistoryEntry => ({
    seq: stored.seq,
    time: stored.commit.time,
    actor: stored.commit.actor,
    correlationId: stored.commit.correlationId,
    events: stored.recorded.map((event) => ({ type: event.type, data: event.data })),
  }))
})
