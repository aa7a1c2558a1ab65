import { describe, expect, it } from "vitest"
import { derivedId, newId } from "./ids.ts"

describe("ids", () => {
  it("new ids stay unique and well formed across many refills of the random pool", () => {
    const ids = Array.from({ length: 5_000 }, () => newId("pay", 1_765_000_000_000))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{25}$/u)
  })

  it("sort by the time they were made", () => {
    expect(newId("x", 1_000) < newId("x", 2_000)).toBe(true)
  })

  it("a derived id is the same for the same parts and differs for others", () => {
    expect(derivedId("pay", "k", "1")).toBe(derivedId("pay", "k", "1"))
    expect(derivedId("pay", "k", "1")).not.toBe(derivedId("pay", "k1", ""))
  })
})
