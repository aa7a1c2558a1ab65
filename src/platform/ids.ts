// Opaque, URL- and NATS-subject-safe identifiers: a prefix, then Crockford base32 (lower case).
import { createHash, randomBytes, randomFillSync } from "node:crypto"

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
const DIGIT_CODES = Buffer.from(ALPHABET, "latin1")
// Digits are written here and read out as one string: a string built a character at a time allocated a piece per
// character, and ids are made on every request.
const digits = Buffer.alloc(64)

/** Writes the first `length` Crockford base32 digits of `bytes` into `digits` from `at`; returns where they end. */
function writeBase32(bytes: Uint8Array, length: number, at: number): number {
  const stop = at + length
  if (stop > digits.length) throw new RangeError(`at most ${digits.length} base32 digits at once`)
  let end = at
  let buffer = 0
  let bits = 0
  for (let i = 0; i < bytes.length && end < stop; i++) {
    buffer = (buffer << 8) | bytes[i]!
    bits += 8
    while (bits >= 5 && end < stop) {
      digits[end++] = DIGIT_CODES[(buffer >>> (bits - 5)) & 31]!
      bits -= 5
    }
    buffer &= (1 << bits) - 1
  }
  return end
}

/** The first `length` Crockford base32 digits (lower case) of `bytes`. */
export function base32(bytes: Uint8Array, length: number): string {
  return digits.toString("latin1", 0, writeBase32(bytes, length, 0))
}

// Ids are made several times per request: one system call fills a pool for hundreds of them (a call per id was
// 6 % of the edge's CPU under load). The bytes are the same CSPRNG's; each is handed out once.
const POOL_SIZE = 4_096
const pool = Buffer.alloc(POOL_SIZE)
let poolOffset = POOL_SIZE

function randomFromPool(size: number): Buffer {
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size)
  poolOffset += size
  return bytes
}

const time = Buffer.alloc(6)

/** A time-ordered id (ULID layout: 48-bit milliseconds, then 80 random bits). */
export function newId(prefix: string, now = Date.now()): string {
  time.writeUIntBE(now, 0, 6)
  const end = writeBase32(randomFromPool(10), 16, writeBase32(time, 10, 0))
  return `${prefix}_${digits.toString("latin1", 0, end)}`
}

/** The same input always gives the same id: used where an id doubles as a uniqueness reservation. */
export function derivedId(prefix: string, ...parts: ReadonlyArray<string>): string {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest()
  return `${prefix}_${base32(digest, 26)}`
}

/** A secret with `bytes` of entropy, for device tokens and refresh tokens. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url")
}

/** A short code people can read off a label and type: groups of base32, no ambiguous letters. */
export function newCode(groups = 3, size = 4): string {
  const raw = base32(randomBytes(Math.ceil((groups * size * 5) / 8)), groups * size).toUpperCase()
  return Array.from({ length: groups }, (_, i) => raw.slice(i * size, (i + 1) * size)).join("-")
}

/** The body after the prefix, e.g. for embedding one id in another. */
export const idBody = (id: string): string => id.slice(id.indexOf("_") + 1)
