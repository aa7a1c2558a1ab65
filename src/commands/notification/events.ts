import { Schema } from "effect"
import { defineEvent, Id, Language } from "../shared/event.ts"

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
export const NotificationSent = defineEvent("NotificationSent", {
  notificationId: Id,
  channel: Channel,
  provider: Schema.String,
  providerMessageId: Schema.String,
  attempts: Schema.Int,
})
export const NotificationFailed = defineEvent("NotificationFailed", {
  notificationId: Id,
  channel: Channel,
  reason: Schema.String,
  attempts: Schema.Int,
})
export const NotificationRetryRequested = defineEvent("NotificationRetryRequested", { notificationId: Id })

export const NotificationEvent = Schema.Union([
  NotificationRequested, NotificationSent, NotificationFailed, NotificationRetryRequested,
])
export type NotificationEvent = typeof NotificationEvent.Type
