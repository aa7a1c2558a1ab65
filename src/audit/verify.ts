// `audit verify`: walks PAYMENTS and the seals in AUDIT and says what does not hold — a message whose MAC fails
// or is missing (written around the edge with NATS access), a missing sequence, a seal whose digest the stream
// no longer gives (a restored or rewritten stream), a seal that is not validly signed or chained — each with its
// sequence, and the last sealed point. Messages from before payments were signed are listed apart, not failures.
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import { type AuditKeys, type Naming, paymentMacInput } from "../platform/index.ts"
import { chainStep, GENESIS_DIGEST, sealMacInput } from "./chain.ts"
import { readLog } from "./paymentLog.ts"
import { allSeals, type StoredSeal } from "./seals.ts"

export type Finding =
  | { readonly kind: "mac-failed"; readonly seq: number; readonly subject: string; readonly detail: string }
  | { readonly kind: "unsigned"; readonly seq: number; readonly subject: string }
  | { readonly kind: "missing"; readonly fromSeq: number; readonly toSeq: number }
  | { readonly kind: "seal-mismatch"; readonly sealNo: number; readonly fromSeq: number; readonly toSeq: number; readonly detail: string }
  | { readonly kind: "seal-invalid"; readonly sealNo: number; readonly detail: string }

/** Unsigned messages from before the first signed one: written before payments carried a MAC. */
export interface LegacyRange {
  readonly fromSeq: number
  readonly toSeq: number
  readonly count: number
  /** The seal that covers them (their content is fixed since), or null while none does. */
  readonly sealNo: number | null
}

export interface VerifyReport {
  readonly fromSeq: number
  readonly lastSeq: number
  readonly checked: number
  readonly seals: number
  readonly lastSealed: { readonly sealNo: number; readonly toSeq: number; readonly sealedAt: string } | null
  readonly legacy: ReadonlyArray<LegacyRange>
  /** Every finding, in stream order; the first MAX_LISTED are listed, `findingCount` counts them all. */
  readonly findings: ReadonlyArray<Finding>
  readonly findingCount: number
}

export const MAX_LISTED = 1_000

export interface VerifyOptions {
  /** Report from this sequence on (the walk starts at the seal boundary at or before it). */
  readonly fromSeq?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((seq: number, lastSeq: number) => void) | undefined
}

export async function verifyPayments(js: JetStreamClient, jsm: JetStreamManager, names: Naming, keys: AuditKeys,
  options: VerifyOptions = {}): Promise<VerifyReport> {
  const findings: Array<Finding> = []
  let findingCount = 0
  const found = (f: Finding) => {
    findingCount++
    if (findings.length < MAX_LISTED) findings.push(f)
  }

  const seals: Array<StoredSeal> = []
  for await (const s of allSeals(js, jsm, names)) seals.push(s)
  checkSealChain(seals, keys, found)
  const signedSince = seals.find((s) => s.seal.signedSince !== null)?.seal.signedSince ?? null

  // The digest chain can only be picked up at a seal boundary.
  const askedFrom = Math.max(1, options.fromSeq ?? 1)
  let sealIndex = 0
  let running = GENESIS_DIGEST
  while (sealIndex < seals.length && seals[sealIndex]!.seal.toSeq < askedFrom) {
    running = seals[sealIndex]!.seal.digest
    sealIndex++
  }
  const startSeq = sealIndex === 0 ? 1 : seals[sealIndex - 1]!.seal.toSeq + 1
  const lastSeq = (await jsm.streams.info(names.stream("PAYMENTS"))).state.last_seq

  /** Compares the running digest with every seal that ends before `seq`, then resynchronises on the seal. */
  const closeSealsBefore = (seq: number, counted: Map<number, number>) => {
    while (sealIndex < seals.length && seals[sealIndex]!.seal.toSeq < seq) {
      const { seal } = seals[sealIndex]!
      if (seal.toSeq > lastSeq) break
      const count = counted.get(seal.sealNo) ?? 0
      if (running !== seal.digest || count !== seal.count) {
        found({ kind: "seal-mismatch", sealNo: seal.sealNo, fromSeq: seal.fromSeq, toSeq: seal.toSeq,
          detail: count !== seal.count ? `sealed ${seal.count} messages, the stream has ${count}` : "the stream's digest differs from the seal's" })
      }
      running = seal.digest
      sealIndex++
    }
  }

  const legacy: Array<LegacyRange> = []
  const counted = new Map<number, number>()
  let firstSigned = signedSince
  let expected = startSeq
  let checked = 0
  for await (const m of readLog(js, jsm, names.stream("PAYMENTS"), { fromSeq: startSeq, toSeq: lastSeq, signal: options.signal })) {
    closeSealsBefore(m.seq, counted)
    if (m.seq > expected) found({ kind: "missing", fromSeq: expected, toSeq: m.seq - 1 })
    expected = m.seq + 1
    const seal = seals[sealIndex]
    const sealNo = seal !== undefined && seal.seal.fromSeq <= m.seq && m.seq <= seal.seal.toSeq ? seal.seal.sealNo : null
    if (sealNo !== null) counted.set(sealNo, (counted.get(sealNo) ?? 0) + 1)
    if (m.mac === undefined || m.keyId === undefined) {
      if (firstSigned === null || m.seq < firstSigned) {
        const last = legacy.at(-1)
        if (last !== undefined && last.toSeq === m.seq - 1 && last.sealNo === sealNo) legacy[legacy.length - 1] = { ...last, toSeq: m.seq, count: last.count + 1 }
        else legacy.push({ fromSeq: m.seq, toSeq: m.seq, count: 1, sealNo })
      } else if (m.seq >= askedFrom) {
        found({ kind: "unsigned", seq: m.seq, subject: m.subject })
      }
    } else {
      firstSigned ??= m.seq
      const verdict = keys.check(m.keyId, paymentMacInput(m.subject, m.msgId, m.data), m.mac)
      if (verdict !== "ok" && m.seq >= askedFrom) {
        found({ kind: "mac-failed", seq: m.seq, subject: m.subject,
          detail: verdict === "unknown-key" ? `key id ${m.keyId} is not among the audit keys` : `MAC does not match (key ${m.keyId})` })
      }
    }
    running = chainStep(running, m)
    checked++
    options.onProgress?.(m.seq, lastSeq)
  }
  closeSealsBefore(lastSeq + 1, counted)
  if (expected <= lastSeq) found({ kind: "missing", fromSeq: expected, toSeq: lastSeq })
  for (const { seal } of seals.slice(sealIndex)) {
    if (seal.toSeq > lastSeq) {
      found({ kind: "seal-mismatch", sealNo: seal.sealNo, fromSeq: seal.fromSeq, toSeq: seal.toSeq,
        detail: `sealed up to seq ${seal.toSeq}, the stream ends at ${lastSeq}` })
    }
  }

  const valid = seals.filter((s) => s.seal.toSeq <= lastSeq).at(-1)
  return {
    fromSeq: startSeq,
    lastSeq,
    checked,
    seals: seals.length,
    lastSealed: valid === undefined ? null : { sealNo: valid.seal.sealNo, toSeq: valid.seal.toSeq, sealedAt: valid.sealedAt },
    legacy: legacy.filter((r) => r.toSeq >= askedFrom || startSeq === 1),
    findings,
    findingCount,
  }
}

/** Every seal signed by an audit key, numbered 1, 2, 3…, each starting where the previous ended, on its digest. */
function checkSealChain(seals: ReadonlyArray<StoredSeal>, keys: AuditKeys, found: (f: Finding) => void): void {
  let previous: StoredSeal["seal"] | undefined
  for (const { seal } of seals) {
    const verdict = keys.check(seal.keyId, sealMacInput(seal), seal.mac)
    if (verdict !== "ok") found({ kind: "seal-invalid", sealNo: seal.sealNo, detail: verdict === "unknown-key" ? `key id ${seal.keyId} is not among the audit keys` : "its MAC does not match" })
    const link = previous === undefined
      ? seal.sealNo === 1 && seal.fromSeq === 1 && seal.previousDigest === GENESIS_DIGEST
      : seal.sealNo === previous.sealNo + 1 && seal.fromSeq === previous.toSeq + 1 && seal.previousDigest === previous.digest
    if (!link) found({ kind: "seal-invalid", sealNo: seal.sealNo, detail: `does not follow seal ${previous?.sealNo ?? "(none)"}` })
    previous = seal
  }
}

/** One line per fact, failures first marked FAIL: what the CLI prints. */
export function describeReport(r: VerifyReport): ReadonlyArray<string> {
  const lines: Array<string> = []
  lines.push(`PAYMENTS seq ${r.fromSeq}–${r.lastSeq}: ${r.checked} messages checked against ${r.seals} seals`)
  lines.push(r.lastSealed === null ? "last sealed point: none yet" : `last sealed point: seal ${r.lastSealed.sealNo} at seq ${r.lastSealed.toSeq} (${r.lastSealed.sealedAt})`)
  for (const l of r.legacy) {
    const range = l.fromSeq === l.toSeq ? `seq ${l.fromSeq}` : `seq ${l.fromSeq}–${l.toSeq}`
    lines.push(`${range}: unsigned (${l.sealNo === null ? "before payments were signed, not sealed yet" : `before seal ${l.sealNo}`}), ${l.count} messages`)
  }
  for (const f of r.findings) lines.push(`FAIL ${describeFinding(f)}`)
  if (r.findingCount > r.findings.length) lines.push(`FAIL … and ${r.findingCount - r.findings.length} more`)
  if (r.lastSealed !== null && r.lastSealed.toSeq < r.lastSeq) lines.push(`not sealed yet: seq ${r.lastSealed.toSeq + 1}–${r.lastSeq}`)
  lines.push(r.findingCount === 0 ? "OK: no findings" : `${r.findingCount} findings`)
  return lines
}

export function describeFinding(f: Finding): string {
  switch (f.kind) {
    case "mac-failed": return `seq ${f.seq} (${f.subject}): ${f.detail}`
    case "unsigned": return `seq ${f.seq} (${f.subject}): no MAC — not written by the edge`
    case "missing": return f.fromSeq === f.toSeq ? `seq ${f.fromSeq}: missing` : `seq ${f.fromSeq}–${f.toSeq}: missing`
    case "seal-mismatch": return `seal ${f.sealNo} (seq ${f.fromSeq}–${f.toSeq}) does not match the stream: ${f.detail}`
    case "seal-invalid": return `seal ${f.sealNo}: ${f.detail}`
  }
}
