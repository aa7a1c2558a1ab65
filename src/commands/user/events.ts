import { Schema } from "effect"
import { defineEvent, Id, Language, Role } from "../shared/event.ts"
import { StoredText, Text, type TextRules } from "../shared/text.ts"

export const Username = Schema.String.check(Schema.isPattern(/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,39}$/u, {
  message: "3 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit",
})).annotate({ title: "Username" })

const EMAIL: TextRules = { max: 254, pattern: { regex: /^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/u, message: "an email address" } }
const DISPLAY_NAME: TextRules = { max: 80 }
export const Email = Text(EMAIL, { title: "Email" })
export const DisplayName = Text(DISPLAY_NAME, { title: "DisplayName" })
/** E.164 phone number, as Twilio wants it. */
export const Phone = Schema.String.check(Schema.isPattern(/^\+[1-9]\d{6,14}$/u, { message: "an E.164 phone number like +34600111222" }))

export const NotificationPreferences = Schema.Struct({
  email: Schema.Boolean,
  sms: Schema.Boolean,
  push: Schema.Boolean,
}).annotate({ title: "NotificationPreferences" })
export type NotificationPreferences = typeof NotificationPreferences.Type

const contactWith = <Name extends Schema.Top, Address extends Schema.Top>(displayName: Name, email: Address) => Schema.Struct({
  displayName: Schema.NullOr(displayName),
  email: Schema.NullOr(email),
  phone: Schema.NullOr(Phone),
  language: Language,
  preferences: NotificationPreferences,
})

/** A contact as a caller sends it: its texts normalised on the way in. */
export const ContactInput = contactWith(DisplayName, Email)
/** A contact as events hold it. */
export const Contact = contactWith(StoredText(DISPLAY_NAME), StoredText(EMAIL)).annotate({ title: "Contact" })
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
