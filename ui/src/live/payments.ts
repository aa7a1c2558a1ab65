// Live payment events as the rows the console shows.
import type { LiveMessage } from "./socket.ts"
import type { Payment, PaymentRecordedData, PaymentRefundedData } from "../api/types.ts"
import { paymentStatus } from "../../../src/shared/index.ts"

export interface FeedEntry {
  key: string
  kind: "payment" | "refund"
  paymentId: string
  kioskId: string
  amount: number
  currency: string
  at: string
}

export function feedEntryFromPayment(payment: Payment): FeedEntry {
  return {
    key: payment.id, kind: "payment", paymentId: payment.id, kioskId: payment.kioskId,
    amount: payment.amount, currency: payment.currency, at: payment.occurredAt,
  }
}

export function feedEntryFromEvent(message: LiveMessage): FeedEntry | null {
  const { event } = message
  if (event.type === "PaymentRecorded") {
    const data = event.data as unknown as PaymentRecordedData
    return { key: data.paymentId, kind: "payment", paymentId: data.paymentId, kioskId: data.kioskId, amount: data.amount, currency: data.currency, at: data.occurredAt }
  }
  if (event.type === "PaymentRefunded") {
    const data = event.data as unknown as PaymentRefundedData
    return { key: data.refundId, kind: "refund", paymentId: data.paymentId, kioskId: data.kioskId, amount: -data.amount, currency: data.currency, at: event.time }
  }
  return null
}

/** A payment list updated by one live event: a new payment on top (when it fits `accepts`), a refund in place. */
export function applyPaymentEvent(list: ReadonlyArray<Payment>, message: LiveMessage, accepts: (p: Payment) => boolean): Payment[] {
  const entry = feedEntryFromEvent(message)
  if (!entry) return [...list]
  if (entry.kind === "refund") {
    // Already counted (the refund command's own answer came first, or the list was read after it): leave it.
    const data = message.event.data as unknown as PaymentRefundedData
    const refund = { id: entry.key, amount: data.amount, reason: data.reason, refundedAt: message.event.time }
    return list.map((p) => p.id === entry.paymentId && !p.refunds.some((r) => r.id === entry.key)
      ? { ...refunded(p, data.amount), refunds: [...p.refunds, refund] }
      : p)
  }
  if (list.some((p) => p.id === entry.paymentId)) return [...list]
  const data = message.event.data as unknown as PaymentRecordedData
  const payment: Payment = {
    id: data.paymentId, kioskId: data.kioskId, amount: data.amount, currency: data.currency,
    occurredAt: data.occurredAt, recordedAt: message.event.time, operatorId: data.operatorId,
    refunded: 0, net: data.amount, status: paymentStatus(0, data.amount), refunds: [],
    // Events carry ids only: the page names the kiosk from its own cache (kiosks/labels.ts).
    kioskCode: null, kioskName: null, operatorName: null,
  }
  return accepts(payment) ? [payment, ...list] : [...list]
}

/** A payment after a refund of `amount`, with the one status rule (src/shared/payment.ts). */
export function refunded(payment: Payment, amount: number): Payment {
  const total = payment.refunded + amount
  const net = payment.amount - total
  return { ...payment, refunded: total, net, status: paymentStatus(total, net) }
}
