import { beforeAll, describe, expect, it } from "vitest"
import { MIN_PASSWORD_SCORE, passwordWeakness, requireStrongPassword } from "./passwordPolicy.ts"

const ana = { username: "ana.garcia", displayName: "Ana García", email: "ana.garcia@example.com" }

// CPU-bound: building the dictionaries and estimating a dozen passwords takes seconds on a busy machine.
describe("password policy", { timeout: 60_000 }, () => {
  beforeAll(() => void passwordWeakness("warm up the dictionaries", ana), 60_000)

  it("demands zxcvbn's score 3 (10^8 guesses)", () => expect(MIN_PASSWORD_SCORE).toBe(3))

  it("refuses common passwords, in English and in Spanish, with the estimator's advice", () => {
    for (const [password, advice] of [
      ["password1234", /commonly used password/],
      ["Password123!", /commonly used password/],
      ["P4$$w0rd!2024", /./],
      ["qwertyuiop123", /./],
      ["iloveyou2024", /./],
      ["contraseña123", /./],
      ["tequiero12345", /./],
      ["aaaaaaaaaaaaaaaa", /Repeated characters/],
      ["abcabcabcabcabc", /Repeated character patterns/],
      ["1234567890123", /./],
    ] as const) {
      const weakness = passwordWeakness(password, ana)
      expect(weakness, password).toMatch(/^too easy to guess\. /)
      expect(weakness, password).toMatch(advice)
    }
  })

  it("counts the account's own words and the product's name as known words", () => {
    expect(passwordWeakness("ana.garcia.2026", ana)).toMatch(/personal or page related data/)
    expect(passwordWeakness("admin-kiosk-2026", ana)).toBeDefined()
    // Accents do not hide a name: "Peñaloza" in the display name also counts as "penaloza".
    const maria = { username: "maria77", displayName: "María Peñaloza" }
    expect(passwordWeakness("penaloza2026!", maria)).toMatch(/personal or page related data/)
    // The same passwords are fine for someone whose names they do not hold.
    expect(passwordWeakness("ana.garcia.2026", { username: "bob" })).toBeUndefined()
    expect(passwordWeakness("penaloza2026!", { username: "bob" })).toBeUndefined()
  })

  it("accepts passphrases and random passwords", () => {
    for (const password of ["correct horse battery staple", "choose-a-long-password", "x7#kP2!vQm9z", "ventana lluvia tranvía"]) {
      expect(passwordWeakness(password, ana), password).toBeUndefined()
    }
  })

  it("judges a very long password by its start, in bounded time", () => {
    expect(passwordWeakness("ab1!".repeat(50), ana)).toBeDefined()
    expect(passwordWeakness("xK9#mQ2$vL7@pR4!".repeat(12), ana)).toBeUndefined()
  })

  it("names the field it refuses", () => {
    const refused = requireStrongPassword("password1234", ana, "new_password")
    expect(refused).toMatchObject({ _tag: "WeakPassword", field: "new_password", message: expect.stringMatching(/^new_password: too easy to guess/) })
    expect(requireStrongPassword("correct horse battery staple", ana)).toBeUndefined()
  })
})
