import { describe, expect, it } from "vitest"
import { DeciderSpecification } from "../../../test/support/deciderSpec.ts"
import { fold } from "../shared/decider.ts"
import { MAX_AMOUNT_MINOR } from "../shared/money.ts"
import { type KioskFacts, type PaymentCommand, paymentDecider } from "./decide.ts"
import type { PaymentEvent } from "./events.ts"

// The store folds each event with its commit's time; in these specs every commit was recorded at the clock's now.
const recordedAt = "2026-11-28T11:00:00.000Z"
const stamped = (event: PaymentEvent) => ({ ...event, time: recordedAt })
const spec = DeciderSpecification.for(paymentDecider)
const given = (...events: ReadonlyArray<PaymentEvent>) => spec(...events.map(stamped))
const kioskId = "ksk_0000000000000000000000000a"
const paymentId = "pay_0000000000000000000000000a"
const operatorId = "usr_00000000000000000000000ana"
const activeKiosk: KioskFacts = { status: "active", operatorId }
// The server's clock in these specs: the sale happened an hour before the kiosk forwarded it.
const clock = { now: "2026-11-28T11:00:00.000Z", maxAgeDays: 90 }
const record = (over: Partial<Extract<PaymentCommand, { type: "RecordPayment" }>> = {}): PaymentCommand => ({
  type: "RecordPayment", paymentId, kioskId, amount: 1250, currency: "EUR", occurredAt: "2026-11-28T10:00:00Z",
  requestHash: "req-1", kiosk: activeKiosk, clock, ...over,
})
const recorded: PaymentEvent = {
  type: "PaymentRecorded",
  data: { paymentId, kioskId, amount: 1250, currency: "EUR", occurredAt: "2026-11-28T10:00:00Z", operatorId, requestHash: "req-1" },
}
const refunded = (refundId: string, amount: number, reason = ""): PaymentEvent => ({
  type: "PaymentRefunded", data: { paymentId, kioskId, refundId, amount, currency: "EUR", reason, operatorId },
})

describe("payment", () => {
  it("records a payment from an active kiosk, with its operator at the time", () => given().when(record()).then(recorded))

  describe("only registered, active kiosks take payments", () => {
    it("refuses an unknown kiosk", () => given().when(record({ kiosk: { status: "none", operatorId: null } })).thenFails("NotFound"))
    it("refuses a decommissioned kiosk", () =>
      given().when(record({ kiosk: { status: "decommissioned", operatorId: null } })).thenFails("Conflict", /decommissioned/))
  })

  describe("amounts are positive, bounded integer minor units", () => {
    for (const amount of [0, -100, 12.5, MAX_AMOUNT_MINOR + 1, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      it(`refuses ${amount}`, () => given().when(record({ amount })).thenFails("Invalid", /minor units/))
    }
    it("accepts the bound itself", () =>
      given().when(record({ amount: MAX_AMOUNT_MINOR })).then({ ...recorded, data: { ...recorded.data, amount: MAX_AMOUNT_MINOR } }))
  })

  it("refuses a currency that is not ISO 4217", () =>
    given().when(record({ currency: "EURO" })).thenFails("Invalid", /currency/))

  describe("the time of sale is one the kiosk could honestly claim", () => {
    const at = (occurredAt: string) => record({ occurredAt })
    it("up to 5 minutes ahead of the server's clock", () =>
      given().when(at("2026-11-28T11:05:00Z")).then({ ...recorded, data: { ...recorded.data, occurredAt: "2026-11-28T11:05:00Z" } }))
    it("refuses more than 5 minutes ahead", () => given().when(at("2026-11-28T11:05:00.001Z")).thenFails("Invalid", /^occurred_at .*5 minutes ahead/))
    it("as old as the forwarding window", () =>
      given().when(at("2026-08-30T11:00:00Z")).then({ ...recorded, data: { ...recorded.data, occurredAt: "2026-08-30T11:00:00Z" } }))
    it("refuses anything older", () => given().when(at("2026-08-30T10:59:59.999Z")).thenFails("Invalid", /^occurred_at is more than 90 days old/))
    it("a wider window (an importer's) still stops at 2000-01-01", () =>
      given().when(record({ occurredAt: "1999-12-31T23:59:59Z", clock: { ...clock, maxAgeDays: 36_500 } })).thenFails("Invalid", /before 2000-01-01/))
    for (const unreal of ["2026-02-30T10:00:00Z", "2026-11-28T24:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z"]) {
      it(`refuses ${unreal}`, () => given().when(at(unreal)).thenFails("Invalid", /^occurred_at /))
    }
    it("a retry under the same key still answers the original once the window has passed", () =>
      given(recorded).when(record({ clock: { ...clock, now: "2027-06-01T00:00:00.000Z" } })).thenNothingHappens())
  })

  describe("the payment as its receipt shows it", () => {
    it("keeps when the kiosk took it and when it was recorded", () =>
      expect(fold(paymentDecider, [stamped(recorded)]))
        .toMatchObject({ status: "recorded", amount: 1250, occurredAt: "2026-11-28T10:00:00Z", recordedAt, refunded: 0 }))
    it("a refund changes what is left, not when the payment was made", () =>
      expect(fold(paymentDecider, [stamped(recorded), { ...refunded("rfd_1", 250), time: "2026-11-29T09:00:00.000Z" }]))
        .toMatchObject({ occurredAt: "2026-11-28T10:00:00Z", recordedAt, refunded: 250 }))
  })

  describe("an idempotency key makes a payment happen once", () => {
    it("a retry of the same request is nothing new", () => given(recorded).when(record()).thenNothingHappens())
    it("the same key for a different request is refused", () =>
      given(recorded).when(record({ amount: 999, requestHash: "req-2" })).thenFails("Invalid", /Idempotency-Key/))
  })

  describe("an imported refund keeps its own time", () => {
    const at = { at: "2026-11-26T18:00:00.000Z", clock: { now: "2026-11-27T14:15:00.000Z", maxAgeDays: 90 } }
    it("carries the time it was made", () => {
      const event = refunded("rfd_1", 250)
      given(recorded).when({ type: "RefundPayment", refundId: "rfd_1", amount: 250, reason: "", refundedAt: at })
        .then({ ...event, data: { ...event.data, refundedAt: at.at } } as PaymentEvent)
    })
    it("refuses a time ahead of the server's clock", () =>
      given(recorded).when({ type: "RefundPayment", refundId: "rfd_1", amount: 250, reason: "", refundedAt: { ...at, at: "2026-11-27T23:54:00.000Z" } })
        .thenFails("Invalid", /refunded_at is more than 5 minutes ahead/))
  })

  describe("a refund never exceeds what is left", () => {
    it("refunds part of a payment", () =>
      given(recorded).when({ type: "RefundPayment", refundId: "rfd_1", amount: 250, reason: "" }).then(refunded("rfd_1", 250)))
    it("refunds exactly what is left", () =>
      given(recorded, refunded("rfd_1", 250)).when({ type: "RefundPayment", refundId: "rfd_2", amount: 1000, reason: "" })
        .then(refunded("rfd_2", 1000)))
    it("refuses more than what is left", () =>
      given(recorded, refunded("rfd_1", 250)).when({ type: "RefundPayment", refundId: "rfd_2", amount: 1001, reason: "" })
        .thenFails("Invalid", /exceeds the 1000 left/))
    it("refuses any refund of a fully refunded payment", () =>
      given(recorded, refunded("rfd_1", 1250)).when({ type: "RefundPayment", refundId: "rfd_2", amount: 1, reason: "" })
        .thenFails("Invalid"))
    it("repeating the same refund is nothing new", () =>
      given(recorded, refunded("rfd_1", 250)).when({ type: "RefundPayment", refundId: "rfd_1", amount: 250, reason: "" })
        .thenNothingHappens())
    it("refuses a refund of an unknown payment", () =>
      given().when({ type: "RefundPayment", refundId: "rfd_1", amount: 1, reason: "" }).thenFails("NotFound"))
    it("refuses a non-positive refund", () =>
      given(recorded).when({ type: "RefundPayment", refundId: "rfd_1", amount: 0, reason: "" }).thenFails("Invalid"))
  })

  describe("a refund's idempotency key makes it happen once, for that request only", () => {
    const refund = (amount: number, reason: string): PaymentCommand => ({ type: "RefundPayment", refundId: "rfd_1", amount, reason })
    it("a retry of the same refund is nothing new", () =>
      given(recorded, refunded("rfd_1", 250, "damaged")).when(refund(250, "damaged")).thenNothingHappens())
    it("the same key for another amount is refused", () =>
      given(recorded, refunded("rfd_1", 250, "damaged")).when(refund(300, "damaged")).thenFails("Invalid", /Idempotency-Key .* different amount or reason/))
    it("the same key for another reason is refused", () =>
      given(recorded, refunded("rfd_1", 250, "damaged")).when(refund(250, "goodwill")).thenFails("Invalid", /Idempotency-Key/))
    it("the same key for another amount is refused even when nothing would be left for it", () =>
      given(recorded, refunded("rfd_1", 1250, "")).when(refund(5, "")).thenFails("Invalid", /Idempotency-Key/))
    it("another key refunds again", () =>
      given(recorded, refunded("rfd_1", 250, "damaged")).when({ type: "RefundPayment", refundId: "rfd_2", amount: 250, reason: "damaged" })
        .then(refunded("rfd_2", 250, "damaged")))
  })
})
