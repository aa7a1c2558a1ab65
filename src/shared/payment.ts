// A payment's status, derived from its amounts: the one rule that the write side's view, the read side's rows,
// the edge's answers and the console's live feed all apply (the payments filter states it in SQL, with this name).

export const PAYMENT_STATUSES = ["captured", "partially_refunded", "refunded"] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

/** Nothing refunded: captured; everything refunded (net 0): refunded; otherwise partially refunded. */
export const paymentStatus = (refunded: number, net: number): PaymentStatus =>
  refunded === 0 ? "captured" : net === 0 ? "refunded" : "partially_refunded"
