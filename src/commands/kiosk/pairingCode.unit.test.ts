import { describe, expect, it } from "vitest"
import { pairingCodeText, pairingSecret, pairingSecretMatches, parsePairingCode } from "./pairingCode.ts"

const kioskId = "ksk_0000000000000000000000000a"
const key = "k".repeat(8) + "an-unguessable-test-key-0123456789"

describe("pairing codes", () => {
  it("are 80 bits of Crockford base32, different for each kiosk, version and key", () => {
    const secret = pairingSecret(kioskId, 0, key)
    expect(secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/)
    expect(pairingSecret(kioskId, 1, key)).not.toBe(secret)
    expect(pairingSecret("ksk_0000000000000000000000000b", 0, key)).not.toBe(secret)
    expect(pairingSecret(kioskId, 0, `${key}x`)).not.toBe(secret)
  })

  it("parse as people type them: any case, spaces, and the letters Crockford reads as digits", () => {
    const secret = pairingSecret(kioskId, 3, key)
    expect(parsePairingCode(pairingCodeText("DEMO-0001", secret))).toEqual({ code: "DEMO-0001", secret })
    const typed = ` demo-0001:${secret.toLowerCase().replace(/1/g, "l").replace(/0/g, "o")} `
    expect(parsePairingCode(typed)).toEqual({ code: "DEMO-0001", secret })
  })

  it("refuse a kiosk code alone, a short secret or letters outside the alphabet", () => {
    expect(parsePairingCode("DEMO-0001")).toBeUndefined()
    expect(parsePairingCode("ABCD")).toBeUndefined()
    expect(parsePairingCode("DEMO-0001:ABCDEFGH")).toBeUndefined()
    expect(parsePairingCode("DEMO-0001:UUUUUUUUUUUUUUUU")).toBeUndefined()
  })

  it("match only the version they were made for", () => {
    const secret = pairingSecret(kioskId, 2, key)
    expect(pairingSecretMatches(secret, kioskId, 2, key)).toBe(true)
    expect(pairingSecretMatches(secret, kioskId, 1, key)).toBe(false)
    expect(pairingSecretMatches(secret, kioskId, 3, key)).toBe(false)
    expect(pairingSecretMatches(secret.slice(1), kioskId, 2, key)).toBe(false)
  })
})
