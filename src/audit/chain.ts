// The seal chain, pure: a running SHA-256 over every PAYMENTS message in stream order (its sequence, subject,
// msg id, MAC and body), carried from seal to seal, and the bytes a seal's own MAC covers. The sealer builds
// seals with it; `audit verify` recomputes it from the stream and compares.
import { createHash } from "node:crypto"
import type { LoggedMessage } from "./paymentLog.ts"

export const GENESIS_DIGEST = "0".repeat(64)

const field = (text: string) => `${Buffer.byteLength(text)}:${text}\n`

/** The running digest after `message`, given the digest before it. */
export function chainStep(previous: string, message: Pick<LoggedMessage, "seq" | "subject" | "msgId" | "keyId" | "mac" | "data">): string {
  const body = createHash("sha256").update(message.data).digest("hex")
  return createHash("sha256")
    .update(`${previous}\n${message.seq}\n${field(message.subject)}${field(message.msgId)}${field(message.keyId ?? "")}${field(message.mac ?? "")}${body}`)
    .digest("hex")
}

export interface SealFields {
  readonly sealNo: number
  readonly fromSeq: number
  readonly toSeq: number
  readonly count: number
  readonly unsigned: number
  readonly signedSince: number | null
  readonly previousDigest: string
  readonly digest: string
}

/** What a seal's MAC covers: every field, in a fixed order. */
export const sealMacInput = (s: SealFields) =>
  `ak-seal-v1\n${s.sealNo}\n${s.fromSeq}\n${s.toSeq}\n${s.count}\n${s.unsigned}\n${s.signedSince ?? "-"}\n${s.previousDigest}\n${s.digest}`

/** A seal in the making: the messages read since the last seal. */
export class OpenRange {
  count = 0
  unsigned = 0
  toSeq: number
  digest: string
  signedSince: number | null

  readonly sealNo: number
  readonly fromSeq: number
  readonly previousDigest: string

  constructor(sealNo: number, fromSeq: number, previousDigest: string, signedSince: number | null) {
    this.sealNo = sealNo
    this.fromSeq = fromSeq
    this.previousDigest = previousDigest
    this.toSeq = fromSeq - 1
    this.digest = previousDigest
    this.signedSince = signedSince
  }

  add(message: LoggedMessage): void {
    this.digest = chainStep(this.digest, message)
    this.count++
    this.toSeq = message.seq
    if (message.mac === undefined) this.unsigned++
    else this.signedSince ??= message.seq
  }

  fields(): SealFields {
    const { sealNo, fromSeq, toSeq, count, unsigned, signedSince, previousDigest, digest } = this
    return { sealNo, fromSeq, toSeq, count, unsigned, signedSince, previousDigest, digest }
  }
}
