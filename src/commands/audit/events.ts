// The AUDIT stream's events: seals over PAYMENTS, reconciliation results, and every read of the audit trail.
import { Schema } from "effect"
import { defineEvent } from "../shared/event.ts"

const Seq = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const Digest = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/u))

/**
 * PAYMENTS from `fromSeq` to `toSeq` as the sealer read them: how many messages (`count`; fewer than the range
 * when sequences are missing), how many carried no MAC, and the running digest over every message since the
 * first seal, chained through `previousDigest`. `mac` signs all of it under the audit key `keyId`.
 */
export const PaymentsSealed = defineEvent("PaymentsSealed", {
  sealNo: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  fromSeq: Seq,
  toSeq: Seq,
  count: Seq,
  unsigned: Seq,
  /** The first PAYMENTS sequence that carried a MAC, as far as the chain knows (null: none yet). */
  signedSince: Schema.NullOr(Seq),
  previousDigest: Digest,
  digest: Digest,
  keyId: Schema.String,
  mac: Schema.String,
})

const Difference = Schema.Struct({
  kioskId: Schema.String,
  currency: Schema.String,
  day: Schema.String,
  field: Schema.String,
  replayed: Schema.Int,
  readModel: Schema.Int,
})

/** Replayed totals per kiosk, currency and day against the read model's, for days [fromDay, toDay) (null: open). */
export const ReconciliationCompleted = defineEvent("ReconciliationCompleted", {
  fromDay: Schema.NullOr(Schema.String),
  toDay: Schema.NullOr(Schema.String),
  throughSeq: Seq,
  rows: Seq,
  differenceCount: Seq,
  /** The first differences (the full list comes from GET /audit/reconciliation). */
  differences: Schema.Array(Difference),
})

/** Someone read the audit trail (PCI DSS 10.2): what, which range; who and when travel in the envelope. */
export const AuditTrailRead = defineEvent("AuditTrailRead", {
  what: Schema.Literals(["replay", "balances", "reconciliation", "verify"]),
  range: Schema.String,
  kioskId: Schema.NullOr(Schema.String),
})

/** `audit verify` ran: what it checked and how many findings (the console shows the last one). */
export const PaymentsVerified = defineEvent("PaymentsVerified", {
  fromSeq: Seq,
  lastSeq: Seq,
  checked: Seq,
  findingCount: Seq,
  lastSealedSeq: Schema.NullOr(Seq),
})

export const AuditEvent = Schema.Union([PaymentsSealed, ReconciliationCompleted, AuditTrailRead, PaymentsVerified])
export type AuditEvent = typeof AuditEvent.Type
