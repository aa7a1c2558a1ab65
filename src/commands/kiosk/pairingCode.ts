// A kiosk's pairing code, what its QR label encodes: `<printed code>:<secret>`. The printed code (admin-chosen or
// generated, e.g. DEMO-0001) only names the kiosk; the secret proves that whoever pairs has seen the kiosk's current
// label. It is HMAC(DEVICE_TOKEN_KEY, kiosk id + pairing version), 80 bits in Crockford base32, never stored: the
// pairing version counts the kiosk's assignments and unassignments, so every pairing, unpairing or hand-over makes
// a new label and the old one pairs nothing.
import { createHmac, timingSafeEqual } from "node:crypto"
import { Schema } from "effect"
import { base32 } from "../../platform/index.ts"
import { normalizeKioskCode } from "../identity.ts"

/** 16 base32 digits: 80 bits. */
const SECRET_LENGTH = 16

/** What `/kiosks/assign` takes: the label's text. Letters in any case; I and L read as 1, O as 0 (Crockford). */
export const PairingCode = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9-]{3,39}:[0-9A-Za-z]{16}$/u, {
  message: "a kiosk's pairing code as its QR label shows it: the kiosk code, ':', then 16 letters or digits",
})).annotate({ title: "PairingCode" })

export function pairingSecret(kioskId: string, pairingVersion: number, key: string): string {
  const mac = createHmac("sha256", key).update(`kiosk-pairing\u0000${kioskId}\u0000${pairingVersion}`).digest()
  return base32(mac, SECRET_LENGTH).toUpperCase()
}

export const pairingCodeText = (code: string, secret: string) => `${code}:${secret}`

/** The printed code and the secret of a label's text, normalised; undefined when it is not shaped like one. */
export function parsePairingCode(text: string): { readonly code: string; readonly secret: string } | undefined {
  const at = text.lastIndexOf(":")
  if (at < 0) return undefined
  const code = normalizeKioskCode(text.slice(0, at))
  const secret = text.slice(at + 1).trim().toUpperCase().replace(/[IL]/g, "1").replace(/O/g, "0")
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(secret) && /^[A-Z0-9][A-Z0-9-]{3,39}$/.test(code) ? { code, secret } : undefined
}

/** Constant time: how much of a guess was right never shows in the answer's timing. */
export function pairingSecretMatches(presented: string, kioskId: string, pairingVersion: number, key: string): boolean {
  const expected = Buffer.from(pairingSecret(kioskId, pairingVersion, key))
  const actual = Buffer.from(presented)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
