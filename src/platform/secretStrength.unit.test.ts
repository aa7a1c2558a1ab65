import { randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { MIN_KEY_BITS } from "./config.ts"
import { estimateSecretBits } from "./secretStrength.ts"

describe("estimated bits of a machine key", () => {
  it("is zero for nothing and for one character repeated", () => {
    expect(estimateSecretBits("")).toBe(0)
    expect(estimateSecretBits("a".repeat(32))).toBe(0)
  })

  it("stays low for short repeated patterns, sequences and few distinct characters", () => {
    for (const structured of [
      "ab".repeat(16), "abcd".repeat(8), "abcdefgh".repeat(4), "passwordpasswordpasswordpassword",
      "abcdefghijklmnopqrstuvwxyz012345", "0123456789".repeat(4), "2468".repeat(10), "zyxwvutsrqponmlkjihgfedcba987654",
      "aabbaabbababbbaaabababbbabababaaabbbabab",
    ]) expect(estimateSecretBits(structured), structured).toBeLessThan(MIN_KEY_BITS)
  })

  it("passes generated keys of every usual format, however unlucky the draw", () => {
    const formats = [
      () => randomBytes(16).toString("hex"),
      () => randomBytes(24).toString("base64"),
      () => randomBytes(32).toString("base64url"),
      () => Array.from(randomBytes(32), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[b % 62]).join(""),
    ]
    for (const format of formats) {
      for (let i = 0; i < 2_000; i++) {
        const key = format()
        expect(estimateSecretBits(key), key).toBeGreaterThanOrEqual(MIN_KEY_BITS)
      }
    }
  })

  it("counts a repeat or a run inside an otherwise random key as one short reference", () => {
    const random = randomBytes(24).toString("base64") // 32 characters of a 64-letter alphabet: at most 192 bits
    expect(estimateSecretBits(random + random)).toBeLessThanOrEqual(192 + 2 * Math.log2(64))
    expect(estimateSecretBits(`${random}${"x".repeat(100)}`)).toBeLessThanOrEqual(192 + 6 + 2 * Math.log2(132))
  })
})
