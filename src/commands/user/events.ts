import { Schema } from "effect"
import { defineEvent, Id, Language, Role } from "../shared/event.ts"

export const Username = Schema.String.check(Schema.isPattern(/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,39}$/u, {
  message: "3 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit",
})).annotate({ title: "Username" })

export const Email = Schema.String.check(Schema.isMaxCodePoints(254), Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/u, {
  message: "an email address",
}))
/** E.164 phone number, as Twilio wants it. */
export const Phone = Schema.String.check(Schema.isPattern(/^\+[1-9]\d{6,14}$/u, { message: "an E.164 phone number like +34600111222" }))

export const NotificationPreferences = Schema.Struct({
  email: Schema.Boolean,
  sms: Schema.Boolean,
  push: Schema.Boolean,
}).annotate({ title: "NotificationPreferences" })
export type NotificationPreferences = typeof NotificationPreferences.Type

export const Contact = Schema.Struct({
  displayName: Schema.NullOr(Schema.String.check(Schema.isMaxCodePoints(80))),
  email: Schema.NullOr(Email),
  phone: Schema.NullOr(Phone),
  language: Language,
  preferences: NotificationPreferences,
}).annotate({ title: "Contact" })
export type Contact = typeof Contact.Type

export const UserRegistered = defineEvent("UserRegistered", {
  userId: Id,
  username: Username,
  role: Role,
  /** argon2id PHC string; the users read model never copies it. */
  passwordHash: Schema.String,
  contact: Contact,
})
export const UserRoleChanged = defineEvent("UserRoleChanged", { userId: Id, role: Role, previousRole: Role })
export const UserContactChanged = defineEvent("UserContactChanged", { userId: Id, contact: Contact })
export const UserPasswordChanged = defineEvent("UserPasswordChanged", { userId: Id, passwordHash: Schema.String })
export const UserPushDeviceAdded = defineEvent("UserPushDeviceAdded", { userId: Id, deviceToken: Schema.String })
export const UserPushDeviceRemoved = defineEvent("UserPushDeviceRemoved", {
  userId: Id,
  deviceToken: Schema.String,
  reason: Schema.Literals(["user", "stale"]),
})
export const UserDeactivated = defineEvent("UserDeactivated", { userId: Id })

export const UserEvent = Schema.Union([
  UserRegistered, UserRoleChanged, UserContactChanged, UserPasswordChanged, UserPushDeviceAdded, UserPushDeviceRemoved,
  UserDeactivated,
])
export type UserEvent = typeof UserEvent.Type
