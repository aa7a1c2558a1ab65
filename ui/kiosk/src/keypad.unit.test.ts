import { describe, expect, it } from "vitest"
import { MAX_AMOUNT_MINOR } from "../../../src/shared/index.ts"
import { type Key, keyOf, press } from "./keypad.ts"

const typed = (...keys: ReadonlyArray<Key>) => keys.reduce((amount: number, key) => press(amount, key), 0)

describe("the amount keypad", () => {
  it("shifts digits in from the right, in minor units", () => {
    expect(typed("1", "2", "5", "0")).toBe(1250)
    expect(typed("0", "0", "7")).toBe(7)
  })
  it("00 adds two zeros; back drops the last digit; clear starts again", () => {
    expect(typed("1", "2", "00")).toBe(1200)
    expect(typed("1", "2", "5", "back")).toBe(12)
    expect(typed("9", "9", "clear", "3")).toBe(3)
    expect(typed("back")).toBe(0)
  })
  it("never passes the largest payment allowed", () => {
    expect(typed(..."99999999".split("") as Array<Key>)).toBe(MAX_AMOUNT_MINOR)
    expect(press(MAX_AMOUNT_MINOR, "9")).toBe(MAX_AMOUNT_MINOR)
    expect(press(1_000_000, "00")).toBe(1_000_000)
  })
  it("reads a physical keyboard", () => {
    expect(keyOf({ key: "7" })).toBe("7")
    expect(keyOf({ key: "Backspace" })).toBe("back")
    expect(keyOf({ key: "Escape" })).toBe("clear")
    expect(keyOf({ key: "a" })).toBeUndefined()
  })
})
