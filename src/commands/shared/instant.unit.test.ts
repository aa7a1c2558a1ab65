// Instants that reach storage: real, storable, and — for a device's clock — within the window around `now`.
import { describe, expect, it } from "vitest"
import { instantProblem, isStorableInstant, MAX_AHEAD_MS } from "./instant.ts"

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
