import { Schema } from "effect"
import { defineEvent, Id, Language, Timestamp } from "../shared/event.ts"

export const Channel = Schema.Literals(["email", "sms", "push"]).annotate({ title: "Channel" })
export type Channel = typeof Channel.Type

export const NotificationRequested = defineEvent("NotificationRequested", {
  notificationId: Id,
  channel: Channel,
  /** Who it is for (null for an address typed by an admin, as in the test email). */
  userId: Schema.NullOr(Id),
  /** Email address, E.164 phone number or push device token. */
  address: Schema.String,
  template: Schema.String,
  language: Language,
  params: Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Number, Schema.Null])),
  /** The event that caused it (payment, refund, kiosk offline…), for tracing and dedupe. */
  sourceEventId: Schema.NullOr(Schema.String),
})
/** A worker claimed the next delivery attempt; the claim lapses at `leaseUntil` if the worker dies. */
export const NotificationAttemptStarted = defineEvent("NotificationAttemptStarted", {
  notificationId: Id,
  attempt: Schema.Int,
  provider: Schema.String,
  worker: Schema.String,
  leaseUntil: Timestamp,
})
/** From here on the provider may have the message: recorded just before the provider could accept it. */
export const NotificationHandedOver = defineEvent("NotificationHandedOver", {
  notificationId: Id,
  attempt: Schema.Int,
  /** The key the provider knows it by, when we choose it (the email's Message-ID). */
  providerKey: Schema.String,
})
/** A transient failure (SMTP 4xx, HTTP 429/5xx, a dead worker): tried again from `retryAt`. */
export const NotificationAttemptFailed = defineEvent("NotificationAttemptFailed", {
  notificationId: Id,
  attempt: Schema.Int,
  reason: Schema.String,
  retryAt: Timestamp,
})
export const NotificationSent = defineEvent("NotificationSent", {
  notificationId: Id,
  channel: Channel,
  provider: Schema.String,
  providerMessageId: Schema.String,
  attempts: Schema.Int,
  /**
   * false: the worker handed the message over and stopped (or lost the connection) before the provider answered.
   * It is not sent again automatically, so it is never sent twice; an admin may retry it. Absent means true.
   */
  confirmed: Schema.optionalKey(Schema.Boolean),
})
export const NotificationFailed = defineEvent("NotificationFailed", {
  notificationId: Id,
  channel: Channel,
  reason: Schema.String,
  attempts: Schema.Int,
})
export const NotificationRetryRequested = defineEvent("NotificationRetryRequested", { notificationId: Id })

export const NotificationEvent = Schema.Union([
  NotificationRequested, NotificationAttemptStarted, NotificationHandedOver, NotificationAttemptFailed, NotificationSent,
  NotificationFailed, NotificationRetryRequested,
])
export type NotificationEvent = typeof NotificationEvent.Type
