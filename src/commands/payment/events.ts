import { Schema } from "effect"
import { AmountSchema, CurrencySchema } from "../shared/money.ts"
import { defineEvent, Id, Timestamp } from "../shared/event.ts"
import { StoredText, Text, type TextRules } from "../shared/text.ts"

/** Why a refund was made; may be left empty. */
const REASON: TextRules = { max: 200, blank: true }
export const RefundReason = Text(REASON, { title: "RefundReason" })

export const PaymentRecorded = defineEvent("PaymentRecorded", {
  paymentId: Id,
  kioskId: Id,
  amount: AmountSchema,
  currency: CurrencySchema,
  /** When the kiosk took the payment (its clock); the envelope's time is when we recorded it. */
  occurredAt: Timestamp,
  /** The kiosk's operator at the time, so that receipts and live feeds need no lookup. */
  operatorId: Schema.NullOr(Id),
  /** Fingerprint of the request under its idempotency key: a retry must match it. */
  requestHash: Schema.String,
})
export const PaymentRefunded = defineEvent("PaymentRefunded", {
  paymentId: Id,
  kioskId: Id,
  refundId: Id,
  amount: AmountSchema,
  currency: CurrencySchema,
  reason: StoredText(REASON),
  operatorId: Schema.NullOr(Id),
  /** When the refund was made, if not when it was recorded: only an importer of history (demo seed) sets it. */
  refundedAt: Schema.optionalKey(Timestamp),
})

export const PaymentEvent = Schema.Union([PaymentRecorded, PaymentRefunded])
export type PaymentEvent = typeof PaymentEvent.Type
