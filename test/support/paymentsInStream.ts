// What the PAYMENTS stream holds, read straight from JetStream (the audit log, not a read model), and how it
// compares with what kiosks say they accepted: the "each payment exactly once" check of the kiosk tests and chaos.
import { type EventStoreShape, paymentIdFor } from "../../src/commands/index.ts"

export interface RecordedPayment {
  readonly paymentId: string
  readonly kioskId: string
  readonly amount: number
  readonly occurredAt: string
  readonly seq: number
}

export async function paymentsInStream(store: Pick<EventStoreShape, "replay">): Promise<ReadonlyArray<RecordedPayment>> {
  const found: Array<RecordedPayment> = []
  for await (const commit of store.replay("PAYMENTS", { untilEnd: true })) {
    for (const event of commit.recorded) {
      if (event.type !== "PaymentRecorded") continue
      const { paymentId, kioskId, amount, occurredAt } = event.data as { paymentId: string; kioskId: string; amount: number; occurredAt: string }
      found.push({ paymentId, kioskId, amount, occurredAt, seq: commit.seq })
    }
  }
  return found
}

export interface ExactlyOnce {
  /** Sales the kiosks reported durable. */
  readonly accepted: number
  /** Of those, how many the stream holds. */
  readonly inStream: number
  /** Accepted sales the stream lacks. */
  readonly losses: ReadonlyArray<string>
  /** Payment ids recorded more than once (impossible by construction: each has its own subject). */
  readonly duplicates: ReadonlyArray<string>
  /** Payments in the stream for these kiosks that no accepted sale explains (a retry that made a second payment). */
  readonly unexplained: ReadonlyArray<string>
}

/** `accepted`: per kiosk, the Idempotency-Keys of the sales it accepted. */
export function exactlyOnce(accepted: ReadonlyMap<string, ReadonlyArray<string>>, recorded: ReadonlyArray<RecordedPayment>): ExactlyOnce {
  const counts = new Map<string, number>()
  for (const p of recorded) if (accepted.has(p.kioskId)) counts.set(p.paymentId, (counts.get(p.paymentId) ?? 0) + 1)
  const expected = new Set([...accepted].flatMap(([kioskId, keys]) => keys.map((key) => paymentIdFor(kioskId, key))))
  return {
    accepted: expected.size,
    inStream: [...expected].filter((id) => counts.has(id)).length,
    losses: [...expected].filter((id) => !counts.has(id)),
    duplicates: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    unexplained: [...counts.keys()].filter((id) => !expected.has(id)),
  }
}
