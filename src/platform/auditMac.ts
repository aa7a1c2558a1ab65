// Tamper evidence: the MAC the write side puts on every payment message (and the sealer on every seal), under
// AUDIT_KEY, named by AUDIT_KEY_ID so that a rotated key's messages still verify. Whoever can publish to NATS
// but does not hold the key cannot make a message that verifies.
import { createHmac, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"
import type { AppSettings } from "./config.ts"

export const AUDIT_MAC_HEADER = "Audit-Mac"
export const AUDIT_KEY_ID_HEADER = "Audit-Key-Id"

export interface AuditKeys {
  /** The key new MACs are made with. */
  readonly currentId: string
  mac(text: string | Uint8Array): { readonly keyId: string; readonly mac: string }
  /** "ok", "bad" (altered, or made with another key) or "unknown-key" (a key id this process does not hold). */
  check(keyId: string, text: string | Uint8Array, mac: string): "ok" | "bad" | "unknown-key"
}

export function auditKeys(settings: Pick<AppSettings, "auditKey" | "auditKeyId" | "auditKeysPrevious">): AuditKeys {
  const keys = new Map<string, string>([[settings.auditKeyId, Redacted.value(settings.auditKey)]])
  for (const [id, key] of settings.auditKeysPrevious) keys.set(id, Redacted.value(key))
  const hmac = (key: string, text: string | Uint8Array) => createHmac("sha256", key).update(text).digest()
  return {
    currentId: settings.auditKeyId,
    mac: (text) => ({ keyId: settings.auditKeyId, mac: hmac(keys.get(settings.auditKeyId)!, text).toString("base64url") }),
    check(keyId, text, mac) {
      const key = keys.get(keyId)
      if (key === undefined) return "unknown-key"
      const expected = hmac(key, text)
      const given = Buffer.from(mac, "base64url")
      return given.length === expected.length && timingSafeEqual(given, expected) ? "ok" : "bad"
    },
  }
}

/**
 * What a payment message's MAC covers: its subject, its msg id and its body, length-prefixed so that no two
 * different messages share the same bytes. Moving a message to another subject or id breaks it as surely as
 * editing its body.
 */
export function paymentMacInput(subject: string, msgId: string, body: Uint8Array): Buffer {
  const head = Buffer.from(`ak-payment-mac-v1\n${subject.length}:${subject}\n${msgId.length}:${msgId}\n${body.length}:`, "utf8")
  return Buffer.concat([head, body])
}
