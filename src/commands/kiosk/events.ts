import { Schema } from "effect"
import { defineEvent, Id, Timestamp } from "../shared/event.ts"
import { StoredText, Text, type TextRules } from "../shared/text.ts"

/** The kiosk's printed name for people (admin-chosen, e.g. DEMO-0001, or generated): it identifies, it never pairs. */
export const KioskCode = Schema.String.check(Schema.isPattern(/^[A-Z0-9][A-Z0-9-]{3,39}$/u, {
  message: "4 to 40 upper-case letters, digits or '-'",
})).annotate({ title: "KioskCode" })
const NAME: TextRules = { max: 80 }
/** A location may be left empty. */
const LOCATION: TextRules = { max: 120, blank: true }
export const KioskName = Text(NAME, { title: "KioskName" })
export const KioskLocation = Text(LOCATION, { title: "KioskLocation" })

export const KioskRegistered = defineEvent("KioskRegistered", {
  kioskId: Id,
  code: KioskCode,
  name: StoredText(NAME),
  location: StoredText(LOCATION),
  /** HMAC-SHA-256 of the device token; the token itself is shown once and never stored. */
  credentialHash: Schema.String,
})
export const KioskRenamed = defineEvent("KioskRenamed", { kioskId: Id, name: StoredText(NAME), location: StoredText(LOCATION) })
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
