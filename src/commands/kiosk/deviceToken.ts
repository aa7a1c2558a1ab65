// Kiosk device tokens: long random secrets shown once. We keep only HMAC-SHA-256(key, token) — a fast keyed hash,
// so checking one on every kiosk request is cheap (argon2 is for human passwords), yet a leaked read model or
// event stream cannot be turned back into a working token without the key.
import { createHmac, timingSafeEqual } from "node:crypto"
import { idBody, newSecret } from "../../platform/index.ts"
import { DEVICE_TOKEN_PREFIX as PREFIX } from "../../shared/index.ts"

import type { KioskState } from "./state.ts"

export { kioskIdOfToken } from "../../shared/index.ts"

/** `akd.<kioskId body>.<secret>`: the kiosk id travels in the token, so one lookup finds the hash to compare. */
export function issueDeviceToken(kioskId: string, key: string): { readonly token: string; readonly hash: string } {
  const token = `${PREFIX}.${idBody(kioskId)}.${newSecret(32)}`
  return { token, hash: hashDeviceToken(token, key) }
}

export const hashDeviceToken = (token: string, key: string): string =>
  createHmac("sha256", key).update(token).digest("base64url")

export function deviceTokenMatches(token: string, storedHash: string, key: string): boolean {
  const actual = Buffer.from(hashDeviceToken(token, key))
  const expected = Buffer.from(storedHash)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Whether `token` is the current credential of this kiosk and the kiosk is in service. */
export const admitsDeviceToken = (kiosk: KioskState, token: string, key: string): boolean =>
  kiosk.status === "active" && deviceTokenMatches(token, kiosk.credentialHash, key)
