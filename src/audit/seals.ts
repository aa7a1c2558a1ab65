// Reading the seals back from AUDIT: the last one (where the sealer resumes) and all of them in order (verify).
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import { decodeStored, type PaymentsSealed } from "../commands/index.ts"
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
