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

/** Which channels, each on or off. */
export const ChannelChoice = Schema.Struct({ email: Schema.Boolean, sms: Schema.Boolean, push: Schema.Boolean })
export type ChannelChoice = typeof ChannelChoice.Type

/** What a person may be told about, each on the channels they pick for it. */
export const NOTIFICATION_KINDS = ["receipts", "refunds", "largePayments", "kioskStatus"] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export const NotificationKinds = Schema.Struct({
  receipts: ChannelChoice,
  refunds: ChannelChoice,
  largePayments: ChannelChoice,
  kioskStatus: ChannelChoice,
}).annotate({ title: "NotificationKinds" })
export type NotificationKinds = typeof NotificationKinds.Type

/** A receipt per sale is noise for anyone running a busy kiosk: off until the person asks for it. */
export const DEFAULT_NOTIFICATION_KINDS: NotificationKinds = {
  receipts: { email: false, sms: false, push: false },
  refunds: { email: true, sms: false, push: true },
  largePayments: { email: false, sms: true, push: false },
  kioskStatus: { email: true, sms: false, push: true },
}

/**
 * The channels a person can be reached on at all (`email`, `sms`, `push`), and per kind the channels they want it
 * on (`kinds`). Accounts from before `kinds` existed have the defaults.
 */
export const NotificationPreferences = Schema.Struct({
  ...ChannelChoice.fields,
  kinds: Schema.optionalKey(NotificationKinds),
}).annotate({ title: "NotificationPreferences" })
export type NotificationPreferences = typeof NotificationPreferences.Type

/** The kinds a person chose, or the defaults when they never did. */
export const kindsOf = (preferences: NotificationPreferences): NotificationKinds => preferences.kinds ?? DEFAULT_NOTIFICATION_KINDS

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
/** The user chose a new password, proving they knew the current one. */
export const UserPasswordChanged = defineEvent("UserPasswordChanged", { userId: Id, passwordHash: Schema.String })
/** An admin set a new password for the user (who forgot theirs): every session of the user ends with it. */
export const UserPasswordReset = defineEvent("UserPasswordReset", { userId: Id, passwordHash: Schema.String })
export const UserPushDeviceAdded = defineEvent("UserPushDeviceAdded", { userId: Id, deviceToken: Schema.String })
export const UserPushDeviceRemoved = defineEvent("UserPushDeviceRemoved", {
  userId: Id,
  deviceToken: Schema.String,
  reason: Schema.Literals(["user", "stale"]),
})
export const UserDeactivated = defineEvent("UserDeactivated", { userId: Id })

export const UserEvent = Schema.Union([
  UserRegistered, UserRoleChanged, UserContactChanged, UserPasswordChanged, UserPasswordReset, UserPushDeviceAdded, UserPushDeviceRemoved,
  UserDeactivated,
])
export type UserEvent = typeof UserEvent.Type
