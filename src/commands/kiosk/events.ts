import { Schema } from "effect"
import { defineEvent, Id, Timestamp } from "../shared/event.ts"

/** What the QR label encodes and an operator scans. Upper case; generated with enough entropy not to be guessed. */
export const KioskCode = Schema.String.check(Schema.isPattern(/^[A-Z0-9][A-Z0-9-]{3,39}$/u, {
  message: "4 to 40 upper-case letters, digits or '-'",
})).annotate({ title: "KioskCode" })
// Text lengths count code points, as JSON Schema and Postgres do: the API's published schema then says exactly this.
export const KioskName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxCodePoints(80)).annotate({ title: "KioskName" })
export const KioskLocation = Schema.String.check(Schema.isMaxCodePoints(120)).annotate({ title: "KioskLocation" })

export const KioskRegistered = defineEvent("KioskRegistered", {
  kioskId: Id,
  code: KioskCode,
  name: KioskName,
  location: KioskLocation,
  /** HMAC-SHA-256 of the device token; the token itself is shown once and never stored. */
  credentialHash: Schema.String,
})
export const KioskRenamed = defineEvent("KioskRenamed", { kioskId: Id, name: KioskName, location: KioskLocation })
export const KioskAssigned = defineEvent("KioskAssigned", { kioskId: Id, operatorId: Id })
export const KioskUnassigned = defineEvent("KioskUnassigned", { kioskId: Id, operatorId: Id })
export const KioskCredentialRotated = defineEvent("KioskCredentialRotated", {
  kioskId: Id,
  credentialHash: Schema.String,
  credentialVersion: Schema.Int,
})
export const KioskWentOffline = defineEvent("KioskWentOffline", { kioskId: Id, lastSeenAt: Schema.NullOr(Timestamp) })
export const KioskCameOnline = defineEvent("KioskCameOnline", { kioskId: Id, at: Timestamp })
export const KioskDecommissioned = defineEvent("KioskDecommissioned", { kioskId: Id })

export const KioskEvent = Schema.Union([
  KioskRegistered, KioskRenamed, KioskAssigned, KioskUnassigned, KioskCredentialRotated, KioskWentOffline,
  KioskCameOnline, KioskDecommissioned,
])
export type KioskEvent = typeof KioskEvent.Type
