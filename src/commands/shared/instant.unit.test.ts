// Instants that reach storage: real, storable, and — for a device's clock — within the window around `now`.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { instantProblem, isStorableInstant, MAX_AHEAD_MS, realInstantMs } from "./instant.ts"

describe("storable instants", () => {
  it("are real moments in years 0001–9999", () => {
    for (const ok of ["2026-03-01T10:00:00Z", "2024-02-29T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
      expect(isStorableInstant(ok), ok).toBe(true)
    }
    for (const bad of ["0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z",
      "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01", "yesterday"]) {
      expect(isStorableInstant(bad), bad).toBe(false)
    }
  })
})

describe("real instants", () => {
  // The definition: a moment is real when its UTC date and time, written back, read as the text did.
  const roundTrip = (value: string) => {
    const ms = Date.parse(value)
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== value.slice(0, 19) ? undefined : ms
  }

  it("agree with the round-trip definition on any instant, and on any instant with a field pushed out of range", () => {
    const instant = fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
      .map((d) => d.toISOString())
    const bent = fc.tuple(instant, fc.integer({ min: 0, max: 18 }), fc.integer({ min: 0, max: 9 }))
      .map(([text, at, digit]) => (/\d/.test(text[at]!) ? `${text.slice(0, at)}${digit}${text.slice(at + 1)}` : text))
    fc.assert(fc.property(fc.oneof(instant, bent), (value) => { expect(realInstantMs(value)).toBe(roundTrip(value)) }), { numRuns: 20_000 })
    for (const value of ["2026-12-07T10:15:00+02:00", "2026-12-07T10:15:00.000+00:00", "1969-12-31T23:59:59.5Z", "2026-12-07T10:15Z", "2026-12-07"]) {
      expect(realInstantMs(value), value).toBe(roundTrip(value))
    }
  })
})

describe("a device's time", () => {
  const now = "2026-12-01T12:00:00.000Z"
  const window = { now, maxAgeDays: 90 }
  const at = (ms: number) => new Date(Date.parse(now) + ms).toISOString()

  it("may run up to 5 minutes fast and lie up to the window behind", () => {
    expect(instantProblem(at(MAX_AHEAD_MS), window)).toBeUndefined()
    expect(instantProblem(at(-90 * 86_400_000), window)).toBeUndefined()
    expect(instantProblem(at(MAX_AHEAD_MS + 1), window)).toMatch(/5 minutes ahead/)
    expect(instantProblem(at(-90 * 86_400_000 - 1), window)).toMatch(/90 days old/)
  })

  it("is never before 2000, whatever the window, nor unreal, nor at year 0, 1969, 9999 or 10000", () => {
    expect(instantProblem("1999-12-31T23:59:59Z", { now, maxAgeDays: 36_500 })).toMatch(/before 2000-01-01/)
    for (const bad of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "2026-02-30T00:00:00Z"]) {
      expect(instantProblem(bad, window), bad).toBeDefined()
    }
  })
})
