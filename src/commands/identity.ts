// Ids that double as uniqueness reservations: the aggregate's subject is derived from its unique key, so
// "append with expected sequence 0" is the reservation — atomic on the write side, no projection read, no orphans.
import { createHash } from "node:crypto"
import { derivedId, idBody } from "../platform/index.ts"

export const normalizeUsername = (username: string) => username.trim().toLowerCase()
export const normalizeKioskCode = (code: string) => code.trim().toUpperCase()

export const userIdFor = (username: string) => derivedId("usr", "username", normalizeUsername(username))
export const kioskIdFor = (code: string) => derivedId("ksk", "kiosk-code", normalizeKioskCode(code))

/**
 * A kiosk's payment under an idempotency key always gets the same id, so the payment's own subject is the
 * idempotency record: it never ages out (PAYMENTS has no max age) and survives any restart. The kiosk id is
 * embedded so that a refund finds the payment's subject from the payment id alone.
 */
export function paymentIdFor(kioskId: string, idempotencyKey: string): string {
  const key = derivedId("x", "payment", kioskId, idempotencyKey)
  return `pay_${idBody(kioskId)}${idBody(key).slice(0, 20)}`
}

export function kioskIdOfPayment(paymentId: string): string | undefined {
  const found = /^pay_([0-9a-z]{26})[0-9a-z]{20}$/.exec(paymentId)
  return found ? `ksk_${found[1]}` : undefined
}

export const refundIdFor = (paymentId: string, idempotencyKey: string) => derivedId("rfd", "refund", paymentId, idempotencyKey)

/** A stable fingerprint of what a request asked for, to tell a retry from a reuse of its key. */
export const fingerprint = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 32)
