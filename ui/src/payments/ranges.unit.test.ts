import { describe, expect, it } from "vitest"
import { presetOf, presetRange } from "./ranges.ts"

const now = new Date("2026-03-01T09:30:00Z")

describe("date presets", () => {
  it("name UTC days, both ends included, across month and year ends", () => {
    expect(presetRange("today", now)).toEqual({ from: "2026-03-01", to: "2026-03-01" })
    expect(presetRange("yesterday", now)).toEqual({ from: "2026-02-28", to: "2026-02-28" })
    expect(presetRange("last7", now)).toEqual({ from: "2026-02-23", to: "2026-03-01" })
    expect(presetRange("thisMonth", now)).toEqual({ from: "2026-03-01", to: "2026-03-01" })
    expect(presetRange("lastMonth", now)).toEqual({ from: "2026-02-01", to: "2026-02-28" })
    expect(presetRange("lastMonth", new Date("2026-01-15T00:00:00Z"))).toEqual({ from: "2025-12-01", to: "2025-12-31" })
    expect(presetRange("all", now)).toEqual({})
  })
  it("tell which preset a range is, or custom", () => {
    expect(presetOf({ from: "2026-02-23", to: "2026-03-01" }, now)).toBe("last7")
    expect(presetOf({}, now)).toBe("all")
    expect(presetOf({ from: "2026-02-02" }, now)).toBe("custom")
  })
})
