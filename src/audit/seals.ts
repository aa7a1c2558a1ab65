// Reading AUDIT back: the last seal (where the sealer resumes), all of them in order (verify), and the last
// reconciliation (when the next is due).
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import { decodeStored, type PaymentsSealed, type PaymentsVerified, type ReconciliationCompleted } from "../commands/index.ts"
import type { Naming } from "../platform/index.ts"
import { readLog } from "./paymentLog.ts"

export type Seal = (typeof PaymentsSealed.Type)["data"]

export interface StoredSeal {
  readonly seal: Seal
  /** The seal message's sequence in AUDIT: the expected version of the next seal. */
  readonly auditSeq: number
  readonly sealedAt: string
}

const toSeal = (body: Uint8Array, subject: string, seq: number): StoredSeal => {
  const stored = decodeStored(body, { stream: "AUDIT", subject, seq })
  const event = stored.recorded.find((e) => e.type === "PaymentsSealed")
  if (event === undefined) throw new Error(`AUDIT seq ${seq} on ${subject} holds no PaymentsSealed`)
  return { seal: event.data as Seal, auditSeq: seq, sealedAt: stored.commit.time }
}

export async function lastSeal(jsm: JetStreamManager, names: Naming): Promise<StoredSeal | undefined> {
  const subject = names.subject.audit("seals")
  const message = await jsm.direct.getMessage(names.stream("AUDIT"), { last_by_subj: subject })
  return message === null ? undefined : toSeal(message.data, message.subject, message.seq)
}

/** Every seal, oldest first (a seal per thousand payments: a short list). */
export async function* allSeals(js: JetStreamClient, jsm: JetStreamManager, names: Naming): AsyncGenerator<StoredSeal> {
  for await (const m of readLog(js, jsm, names.stream("AUDIT"), { subject: names.subject.audit("seals") })) yield toSeal(m.data, m.subject, m.seq)
}

/** The last PaymentsVerified on AUDIT (what `audit verify` last found), with its time. */
export async function lastVerification(jsm: JetStreamManager, names: Naming) {
  const subject = names.subject.audit("verifications")
  const message = await jsm.direct.getMessage(names.stream("AUDIT"), { last_by_subj: subject })
  if (message === null) return undefined
  const stored = decodeStored(message.data, { stream: "AUDIT", subject, seq: message.seq })
  const event = stored.recorded.find((e) => e.type === "PaymentsVerified")
  return event === undefined ? undefined : { result: event.data as (typeof PaymentsVerified.Type)["data"], time: stored.commit.time }
}

/** The last ReconciliationCompleted on AUDIT, with its sequence (the next one's expected version) and time. */
export async function lastReconciliation(jsm: JetStreamManager, names: Naming) {
  const subject = names.subject.audit("reconciliations")
  const message = await jsm.direct.getMessage(names.stream("AUDIT"), { last_by_subj: subject })
  if (message === null) return undefined
  const stored = decodeStored(message.data, { stream: "AUDIT", subject, seq: message.seq })
  const event = stored.recorded.find((e) => e.type === "ReconciliationCompleted")
  if (event === undefined) return undefined
  return { result: event.data as (typeof ReconciliationCompleted.Type)["data"], auditSeq: message.seq, time: stored.commit.time }
}
