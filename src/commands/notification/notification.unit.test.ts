import { describe, expect, it } from "vitest"
import { DeciderSpecification } from "../../../test/support/deciderSpec.ts"
import { fold } from "../shared/decider.ts"
import { backoffMs, nextStep, notificationDecider, type NotificationRequest, type RetryPolicy } from "./decide.ts"
import type { NotificationEvent } from "./events.ts"

const given = DeciderSpecification.for(notificationDecider)
const notificationId = "ntf_0000000000000000000000000a"
const policy: RetryPolicy = { maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 60_000 }
const t0 = "2026-11-28T10:00:00.000Z"
const plus = (ms: number) => new Date(Date.parse(t0) + ms).toISOString()

const request: NotificationRequest = {
  notificationId, channel: "email", userId: "usr_0000000000000000000000000a", address: "ana@example.es",
  template: "payment-receipt", language: "es", params: { amount: 1250, currency: "EUR" }, sourceEventId: "cmt_1",
}
const requested: NotificationEvent = { type: "NotificationRequested", data: request }
const started = (attempt: number, leaseUntil = plus(30_000)): NotificationEvent => ({
  type: "NotificationAttemptStarted", data: { notificationId, attempt, provider: "smtp", worker: "w1", leaseUntil },
})
const handedOver = (attempt: number): NotificationEvent => ({
  type: "NotificationHandedOver", data: { notificationId, attempt, providerKey: `<${notificationId}@example.com>` },
})
const attemptFailed = (attempt: number, retryAt: string, reason = "SMTP 451: try later"): NotificationEvent => ({
  type: "NotificationAttemptFailed", data: { notificationId, attempt, reason, retryAt },
})
const sent = (attempts: number): NotificationEvent => ({
  type: "NotificationSent", data: { notificationId, channel: "email", provider: "smtp", providerMessageId: "<m1>", attempts },
})
const failed = (attempts: number, reason: string): NotificationEvent => ({
  type: "NotificationFailed", data: { notificationId, channel: "email", reason, attempts },
})

describe("notification delivery", () => {
  it("is requested once: asking again for the same id is already satisfied", () => {
    given().when({ type: "RequestNotification", request }).then(requested)
    given(requested).when({ type: "RequestNotification", request }).thenNothingHappens()
  })

  it("a worker claims an attempt with a lease", () =>
    given(requested).when({ type: "StartAttempt", provider: "smtp", worker: "w1", now: t0, leaseMs: 30_000 }).then(started(1)))

  it("only one worker can hold the attempt: a second claim is a conflict", () =>
    given(requested, started(1)).when({ type: "StartAttempt", provider: "smtp", worker: "w2", now: t0, leaseMs: 30_000 })
      .thenFails("Conflict", /attempting/))

  it("records the hand-over, then the provider's id", () => {
    given(requested, started(1)).when({ type: "HandOver", attempt: 1, providerKey: `<${notificationId}@example.com>` }).then(handedOver(1))
    given(requested, started(1), handedOver(1)).when({ type: "RecordSent", attempt: 1, provider: "smtp", providerMessageId: "<m1>" }).then(sent(1))
  })

  it("a worker whose claim was taken over cannot hand over or record", () => {
    const takenOver = [requested, started(1), attemptFailed(1, t0, "the worker stopped before handing the message over"), started(2)]
    given(...takenOver).when({ type: "HandOver", attempt: 1, providerKey: "k" }).thenFails("Conflict", /no longer the current/)
    given(...takenOver).when({ type: "RecordSent", attempt: 1, provider: "smtp", providerMessageId: "x" }).thenFails("Conflict")
  })

  it("a transient failure schedules the next attempt with exponential back-off", () => {
    given(requested, started(1)).when({ type: "RecordFailure", attempt: 1, outcome: "retry", reason: "SMTP 451: try later", now: t0, policy })
      .then(attemptFailed(1, plus(1_000)))
    given(requested, started(1), attemptFailed(1, plus(1_000)), started(2))
      .when({ type: "RecordFailure", attempt: 2, outcome: "retry", reason: "SMTP 451: try later", now: t0, policy })
      .then(attemptFailed(2, plus(2_000)))
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 60_000])
  })

  it("is not retried before its time", () =>
    given(requested, started(1), attemptFailed(1, plus(1_000)))
      .when({ type: "StartAttempt", provider: "smtp", worker: "w1", now: plus(999), leaseMs: 30_000 }).thenFails("Conflict", /due at/))

  it("fails after the last attempt, with the reason", () =>
    given(requested, started(1), attemptFailed(1, t0), started(2), attemptFailed(2, t0), started(3))
      .when({ type: "RecordFailure", attempt: 3, outcome: "retry", reason: "SMTP 451: try later", now: t0, policy })
      .then(failed(3, "SMTP 451: try later (gave up after 3 attempts)")))

  it("gives up at once on a permanent failure", () =>
    given(requested, started(1)).when({ type: "RecordFailure", attempt: 1, outcome: "give-up", reason: "SMTP 550: no such user", now: t0, policy })
      .then(failed(1, "SMTP 550: no such user")))

  it("an unknown outcome after the hand-over counts as sent, unconfirmed: never sent twice", () =>
    given(requested, started(1), handedOver(1))
      .when({ type: "RecordFailure", attempt: 1, outcome: "unknown", reason: "socket closed", now: t0, policy })
      .then({ type: "NotificationSent", data: { notificationId, channel: "email", provider: "smtp", providerMessageId: `<${notificationId}@example.com>`, attempts: 1, confirmed: false } }))

  describe("an attempt whose worker died (lease lapsed)", () => {
    const lease = plus(30_000)
    it("is left alone while the lease runs", () =>
      given(requested, started(1, lease)).when({ type: "ResolveAbandoned", now: plus(29_999), policy }).thenFails("Conflict", /leased until/))
    it("before the hand-over: nothing left us, so it is tried again", () =>
      given(requested, started(1, lease)).when({ type: "ResolveAbandoned", now: lease, policy })
        .then(attemptFailed(1, plus(31_000), "the worker stopped before handing the message over")))
    it("after the hand-over: the provider may have it, so it is recorded as sent (unconfirmed)", () =>
      given(requested, started(1, lease), handedOver(1)).when({ type: "ResolveAbandoned", now: lease, policy })
        .then({ type: "NotificationSent", data: { notificationId, channel: "email", provider: "smtp", providerMessageId: `<${notificationId}@example.com>`, attempts: 1, confirmed: false } }))
    it("a finished notification has nothing to resolve", () =>
      given(requested, started(1), sent(1)).when({ type: "ResolveAbandoned", now: lease, policy }).thenNothingHappens())
  })

  describe("an admin's retry", () => {
    const dead = [requested, started(1), failed(1, "SMTP 550: no such user")]
    it("reopens a failed notification for a new round of attempts", () => {
      given(...dead).when({ type: "RetryNotification" }).then({ type: "NotificationRetryRequested", data: { notificationId } })
      const reopened = [...dead, { type: "NotificationRetryRequested", data: { notificationId } } as NotificationEvent]
      given(...reopened).when({ type: "StartAttempt", provider: "smtp", worker: "w1", now: t0, leaseMs: 30_000 }).then(started(2))
      given(...reopened, started(2)).when({ type: "RecordFailure", attempt: 2, outcome: "give-up", reason: "still no", now: t0, policy })
        .then(failed(1, "still no"))
    })
    it("refuses a notification that was delivered", () =>
      given(requested, started(1), sent(1)).when({ type: "RetryNotification" }).thenFails("Invalid", /failed or unconfirmed/))
    it("refuses one that does not exist", () => given().when({ type: "RetryNotification" }).thenFails("NotFound"))
  })

  it("tells a worker what to do next", () => {
    const state = (...events: ReadonlyArray<NotificationEvent>) => fold(notificationDecider, events)
    expect(nextStep(state(requested), t0)).toEqual({ kind: "attempt" })
    expect(nextStep(state(requested, started(1, plus(5_000))), t0)).toEqual({ kind: "wait", ms: 5_000 })
    expect(nextStep(state(requested, started(1, t0)), t0)).toEqual({ kind: "resolve-abandoned" })
    expect(nextStep(state(requested, started(1), attemptFailed(1, plus(2_000))), t0)).toEqual({ kind: "wait", ms: 2_000 })
    expect(nextStep(state(requested, started(1), sent(1)), t0)).toEqual({ kind: "done" })
    expect(nextStep(state(), t0)).toEqual({ kind: "done" })
  })
})
