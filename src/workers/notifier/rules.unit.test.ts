// The notification rules as given (event + facts) / then (requests) specs.
import { describe, expect, it } from "vitest"
import { DEFAULT_NOTIFICATION_KINDS } from "../../commands/index.ts"
import type { KioskFacts, Recipient } from "./recipients.ts"
import { type Facts, factsNeeded, notificationIdFor, notificationsFor, type Policy, type SourceEvent, testEmail } from "./rules.ts"

const policy: Policy = { largePaymentAlertMinor: 50_000 }

const recorded = (type: SourceEvent["type"], data: SourceEvent["data"], id = "cmt_0000000000000000000000001") =>
  ({
    id, type, version: 1, data, time: "2026-11-28T10:15:01Z", actor: { kind: "system", name: "test" },
    correlationId: "cor_1", stream: "PAYMENTS", subject: "t.payments.x", seq: 7,
  }) as SourceEvent

const kiosk: KioskFacts = { kioskId: "kio_lobby0001", name: "Lobby", operatorId: "usr_operator01" }
/** An operator who asked for receipts by email and push (they are off by default). */
const withReceipts = { ...DEFAULT_NOTIFICATION_KINDS, receipts: { email: true, sms: false, push: true } }
const operator: Recipient = {
  userId: "usr_operator01", language: "es", email: "ana@example.es", phone: "+34600111222",
  preferences: { email: true, sms: true, push: true, kinds: withReceipts }, pushTokens: ["tok-phone", "tok-tablet"],
}
const admin: Recipient = {
  userId: "usr_admin0001", language: "en", email: "boss@example.com", phone: "+15005550006",
  preferences: { email: true, sms: true, push: false }, pushTokens: [],
}
const quietAdmin: Recipient = { ...admin, userId: "usr_admin0002", email: "cfo@example.com", phone: "+15005550007", preferences: { email: true, sms: false, push: false } }

const payment = (amount: number) =>
  recorded("PaymentRecorded", {
    paymentId: "pay_0000000001", kioskId: "kio_lobby0001", amount, currency: "EUR", occurredAt: "2026-11-28T10:15:00Z",
    operatorId: "usr_operator01", requestHash: "h",
  })

const given = (event: SourceEvent, facts: Partial<Facts> = {}) => ({
  then: (expected: ReadonlyArray<[channel: string, address: string, template: string]>) => {
    const requests = notificationsFor(event, { kiosk, operator, admins: [admin, quietAdmin], ...facts }, policy)
    expect(requests.map((r) => [r.channel, r.address, r.template])).toEqual(expected)
    return requests
  },
})

describe("notification rules", () => {
  it("a payment sends its operator a receipt by email and to each push device, in the operator's language", () => {
    const [email] = given(payment(1_250)).then([
      ["email", "ana@example.es", "payment-receipt"],
      ["push", "tok-phone", "payment-receipt"],
      ["push", "tok-tablet", "payment-receipt"],
    ])
    expect(email).toMatchObject({
      userId: "usr_operator01", language: "es", sourceEventId: "cmt_0000000000000000000000001",
      params: { kioskName: "Lobby", amount: 1_250, currency: "EUR", occurredAt: "2026-11-28T10:15:00Z", paymentId: "pay_0000000001" },
    })
  })

  it("respects the operator's preferences: no opt-in, no message", () => {
    given(payment(1_250), { operator: { ...operator, preferences: { email: false, sms: true, push: false, kinds: withReceipts } } }).then([])
    given(payment(1_250), { operator: { ...operator, email: null, pushTokens: [] } }).then([])
  })

  it("sends no receipts to someone who never chose (the default), nor on a channel not chosen for receipts", () => {
    given(payment(1_250), { operator: { ...operator, preferences: { email: true, sms: true, push: true } } }).then([])
    const emailOnly = { ...withReceipts, receipts: { email: true, sms: false, push: false } }
    given(payment(1_250), { operator: { ...operator, preferences: { email: true, sms: true, push: true, kinds: emailOnly } } })
      .then([["email", "ana@example.es", "payment-receipt"]])
  })

  it("lets each kind be turned off on its own: no refund notices, still kiosk alerts", () => {
    const noRefunds = { ...withReceipts, refunds: { email: false, sms: false, push: false } }
    const quiet = { ...operator, preferences: { ...operator.preferences, kinds: noRefunds } }
    const refund = recorded("PaymentRefunded", {
      paymentId: "pay_0000000001", kioskId: "kio_lobby0001", refundId: "rfd_0000000001", amount: 500, currency: "EUR",
      reason: "Wrong item", operatorId: "usr_operator01",
    })
    given(refund, { operator: quiet }).then([])
    given(recorded("KioskWentOffline", { kioskId: "kio_lobby0001", lastSeenAt: "2026-11-28T09:00:00Z" }), { operator: quiet })
      .then([["email", "ana@example.es", "kiosk-offline"], ["push", "tok-phone", "kiosk-offline"], ["push", "tok-tablet", "kiosk-offline"]])
  })

  it("a payment with no operator (or a deactivated one) sends no receipt", () => {
    given(payment(1_250), { operator: undefined }).then([])
  })

  it("a payment above the threshold also alerts every admin who takes SMS", () => {
    const requests = given(payment(50_001), { operator: undefined }).then([["sms", "+15005550006", "large-payment-alert"]])
    expect(requests[0]!.params).toMatchObject({ amount: 50_001, threshold: 50_000 })
    given(payment(50_000), { operator: undefined }).then([])
  })

  it("only a large payment needs the admins looked up", () => {
    expect(factsNeeded(payment(50_001), policy)).toEqual({ kioskId: "kio_lobby0001", operatorId: "usr_operator01", admins: "yes" })
    expect(factsNeeded(payment(10), policy)).toMatchObject({ admins: "no" })
  })

  it("a small sale or a refund on a kiosk nobody operates needs nothing looked up: it tells no one", () => {
    const unowned = (event: SourceEvent) => ({ ...event, data: { ...event.data, operatorId: null } }) as SourceEvent
    expect(factsNeeded(unowned(payment(10)), policy)).toBeUndefined()
    expect(factsNeeded(unowned(payment(50_001)), policy)).toEqual({ kioskId: "kio_lobby0001", operatorId: null, admins: "yes" })
    const refund = recorded("PaymentRefunded", {
      paymentId: "pay_0000000001", kioskId: "kio_lobby0001", refundId: "rfd_0000000001", amount: 500, currency: "EUR",
      reason: "", operatorId: null,
    })
    expect(factsNeeded(refund, policy)).toBeUndefined()
  })

  it("a refund notifies the operator", () => {
    const refund = recorded("PaymentRefunded", {
      paymentId: "pay_0000000001", kioskId: "kio_lobby0001", refundId: "rfd_0000000001", amount: 500, currency: "EUR",
      reason: "Wrong item", operatorId: "usr_operator01",
    })
    const [email] = given(refund).then([
      ["email", "ana@example.es", "refund-notice"], ["push", "tok-phone", "refund-notice"], ["push", "tok-tablet", "refund-notice"],
    ])
    expect(email!.params).toMatchObject({ refundId: "rfd_0000000001", reason: "Wrong item", amount: 500 })
  })

  it("a kiosk going offline tells its operator; without an operator, the admins by email", () => {
    const offline = recorded("KioskWentOffline", { kioskId: "kio_lobby0001", lastSeenAt: "2026-11-28T09:00:00Z" })
    given(offline).then([["email", "ana@example.es", "kiosk-offline"], ["push", "tok-phone", "kiosk-offline"], ["push", "tok-tablet", "kiosk-offline"]])
    given(offline, { operator: undefined }).then([["email", "boss@example.com", "kiosk-offline"], ["email", "cfo@example.com", "kiosk-offline"]])
  })

  it("coming back online clears the alert with a notice of its own", () => {
    const online = recorded("KioskCameOnline", { kioskId: "kio_lobby0001", at: "2026-11-28T09:30:00Z" })
    expect(factsNeeded(online, policy)).toMatchObject({ wasOffline: true })
    const [email] = given(online, { operator: { ...operator, pushTokens: [] }, wasOffline: true }).then([["email", "ana@example.es", "kiosk-online"]])
    expect(email!.params).toEqual({ kioskId: "kio_lobby0001", kioskName: "Lobby", at: "2026-11-28T09:30:00Z" })
  })

  it("a new kiosk's first heartbeat (online from unknown) is no news", () => {
    const online = recorded("KioskCameOnline", { kioskId: "kio_lobby0001", at: "2026-11-28T09:30:00Z" })
    given(online, { wasOffline: false }).then([])
  })

  it("other kiosk events notify nobody", () => {
    const renamed = recorded("KioskRenamed", { kioskId: "kio_lobby0001", name: "Hall", location: "" })
    expect(factsNeeded(renamed, policy)).toBeUndefined()
    given(renamed).then([])
  })

  it("the same event always yields the same notification ids (reprocessing asks for nothing new)", () => {
    const first = notificationsFor(payment(60_000), { kiosk, operator, admins: [admin] }, policy).map((r) => r.notificationId)
    const again = notificationsFor(payment(60_000), { kiosk, operator, admins: [admin] }, policy).map((r) => r.notificationId)
    expect(again).toEqual(first)
    expect(new Set(first).size).toBe(first.length)
    expect(first[0]).toBe(notificationIdFor("cmt_0000000000000000000000001", "usr_operator01", "email", "ana@example.es"))
    expect(first[0]).toMatch(/^ntf_[0-9a-z]{26}$/)
  })

  it("a test email is one notification per request id", () => {
    const a = testEmail({ requestId: "req_1", to: "x@example.com", requestedBy: "admin" })
    expect(a).toMatchObject({ channel: "email", address: "x@example.com", template: "test-email", userId: null, sourceEventId: null })
    expect(testEmail({ requestId: "req_1", to: "x@example.com", requestedBy: "admin" }).notificationId).toBe(a.notificationId)
    expect(testEmail({ requestId: "req_2", to: "x@example.com", requestedBy: "admin" }).notificationId).not.toBe(a.notificationId)
  })
})
