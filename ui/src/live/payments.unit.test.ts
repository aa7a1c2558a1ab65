import { describe, expect, it } from "vitest"
import type { Payment } from "../api/types.ts"
import { applyPaymentEvent, feedEntryFromEvent, refunded } from "./payments.ts"
import type { LiveMessage } from "./socket.ts"

const recorded = (seq: number, paymentId: string, kioskId = "kio_1", amount = 1250): LiveMessage => ({
  topic: "payments", seq,
  event: { id: `evt_${seq}`, type: "PaymentRecorded", time: "2026-11-28T10:00:01Z",
    data: { paymentId, kioskId, amount, currency: "EUR", occurredAt: "2026-11-28T10:00:00Z", operatorId: "usr_1", requestHash: "h" } },
})
const refund = (seq: number, paymentId: string, amount: number): LiveMessage => ({
  topic: "payments", seq,
  event: { id: `evt_${seq}`, type: "PaymentRefunded", time: "2026-11-28T11:00:00Z",
    data: { paymentId, kioskId: "kio_1", refundId: `rfd_${seq}`, amount, currency: "EUR", reason: "", operatorId: null } },
})
const payment = (id: string, amount = 1000): Payment => ({
  id, kioskId: "kio_1", amount, currency: "EUR", refunded: 0, net: amount, status: "captured", operatorId: null, occurredAt: "2026-11-27T09:00:00Z",
  recordedAt: "2026-11-27T09:00:01Z", kioskCode: "K-0001", kioskName: "Lobby", operatorName: null, refunds: [],
})

describe("live payments", () => {
  it("puts a new payment on top when the list's filter accepts it", () => {
    const list = applyPaymentEvent([payment("pay_a")], recorded(5, "pay_b"), () => true)
    expect(list.map((p) => p.id)).toEqual(["pay_b", "pay_a"])
    expect(list[0]).toMatchObject({ amount: 1250, net: 1250, refunded: 0, status: "captured", kioskId: "kio_1" })
  })

  it("leaves the list as it is for a payment the filter rejects or the list already has", () => {
    expect(applyPaymentEvent([payment("pay_a")], recorded(5, "pay_b", "kio_2"), (p) => p.kioskId === "kio_1").map((p) => p.id)).toEqual(["pay_a"])
    expect(applyPaymentEvent([payment("pay_a")], recorded(5, "pay_a"), () => true)).toHaveLength(1)
  })

  it("applies refunds in place, partly then fully, with the command side's status", () => {
    let list = applyPaymentEvent([payment("pay_a", 1000)], refund(6, "pay_a", 300), () => true)
    expect(list[0]).toMatchObject({ refunded: 300, net: 700, status: "partially_refunded" })
    list = applyPaymentEvent(list, refund(7, "pay_a", 700), () => true)
    expect(list[0]).toMatchObject({ refunded: 1000, net: 0, status: "refunded" })
    expect(refunded(payment("pay_b", 500), 500).status).toBe("refunded")
  })

  it("counts a refund once, whether its event or the refund command's answer (or the list) came first", () => {
    const answered: Payment = { ...refunded(payment("pay_a", 1000), 250), refunds: [{ id: "rfd_6", amount: 250, reason: "", refundedAt: "2026-11-28T11:00:00Z" }] }
    expect(applyPaymentEvent([answered], refund(6, "pay_a", 250), () => true)[0]).toMatchObject({ refunded: 250, net: 750 })
    const once = applyPaymentEvent([payment("pay_a", 1000)], refund(6, "pay_a", 250), () => true)
    expect(applyPaymentEvent(once, refund(6, "pay_a", 250), () => true)[0]).toMatchObject({ refunded: 250, net: 750 })
  })

  it("makes feed entries: payments positive, refunds negative, other events none", () => {
    expect(feedEntryFromEvent(recorded(1, "pay_a"))).toMatchObject({ kind: "payment", amount: 1250, key: "pay_a" })
    expect(feedEntryFromEvent(refund(2, "pay_a", 300))).toMatchObject({ kind: "refund", amount: -300, key: "rfd_2", paymentId: "pay_a" })
    expect(feedEntryFromEvent({ topic: "payments", seq: 3, event: { id: "e", type: "KioskHeartbeat", data: {}, time: "" } })).toBeNull()
  })
})
