import { describe, expect, it } from "vitest"
import { minorToDecimal, parseMinor } from "./money.ts"

describe("parseMinor", () => {
  it("reads decimals with a point or a comma into minor units of the currency's ISO 4217 digits", () => {
    expect(parseMinor("12.5", "EUR")).toBe(1250)
    expect(parseMinor("12,50", "EUR")).toBe(1250)
    expect(parseMinor(" 7 ", "EUR")).toBe(700)
    expect(parseMinor("1500", "JPY")).toBe(1500)
    expect(parseMinor("1.234", "KWD")).toBe(1234)
    expect(parseMinor("0.1", "EUR")).toBe(10)
  })
  it("refuses more decimals than the currency has, signs, words and unknown currencies", () => {
    for (const [text, currency] of [["12.345", "EUR"], ["1.5", "JPY"], ["-3", "EUR"], ["1e3", "EUR"], ["", "EUR"], ["12", "XXX"]]) {
      expect(parseMinor(text!, currency!)).toBeNull()
    }
  })
})

describe("minorToDecimal", () => {
  it("places the point by the currency's digits, for negative amounts too", () => {
    expect(minorToDecimal(1250, "EUR")).toBe("12.50")
    expect(minorToDecimal(5, "EUR")).toBe("0.05")
    expect(minorToDecimal(-250, "EUR")).toBe("-2.50")
    expect(minorToDecimal(1250, "JPY")).toBe("1250")
    expect(minorToDecimal(1234, "KWD")).toBe("1.234")
    expect(minorToDecimal(99, "XXX")).toBe("99")
  })
})
