// The one caller-text type: what it accepts is what every read side can store, and decoding normalises it.
// (That ajv, from the published JSON Schema, accepts exactly the same: src/edge/schema.unit.test.ts.)
import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { isStorableText, StoredText, Text } from "./text.ts"

const Name = Text({ max: 10 })
const Note = Text({ max: 10, blank: true })
const decode = (schema: Schema.Top, input: unknown) => Schema.decodeUnknownExit(schema as Schema.Codec<unknown, unknown>)(input)
const decoded = (schema: Schema.Top, input: unknown) => {
  const exit = decode(schema, input)
  return exit._tag === "Success" ? exit.value : undefined
}
describe("caller text", () => {
  it("is trimmed and NFC-normalised on decode", () => {
    expect(decoded(Name, "  Lobby  ")).toBe("Lobby")
    expect(decoded(Name, "Cafe\u0301")).toBe("Caf\u00e9")
    expect(decoded(Name, "\u3000Hall\u00a0")).toBe("Hall")
  })

  const refused: Array<[string, string]> = [
    ["NUL", "a\u0000b"], ["a C0 control", "a\u001bb"], ["a tab", "a\tb"], ["a newline", "a\nb"], ["DEL", "a\u007fb"],
    ["a C1 control", "a\u0085b"], ["an unpaired high surrogate", "a\ud800b"], ["an unpaired low surrogate", "\udc00"],
    ["only spaces", "   "], ["nothing", ""], ["11 code points", "x".repeat(11)],
  ]
  for (const [label, input] of refused) {
    it(`refuses ${label}`, () => expect(decode(Name, input)._tag).toBe("Failure"))
  }

  it("counts code points, not UTF-16 units: ten emoji fit in ten", () => {
    expect(decoded(Name, "😀".repeat(10))).toBe("😀".repeat(10))
  })

  it("may be blank where the field allows it, and becomes empty", () => {
    expect(decoded(Note, "   ")).toBe("")
    expect(decode(Note, "\u0000")._tag).toBe("Failure")
  })

  it("checks the bound as sent; NFC may lengthen it, at most threefold, and that is still storable", () => {
    // U+FB2C (a Hebrew presentation form) decomposes under NFC into three code points.
    const sent = "\ufb2c".repeat(10)
    const stored = decoded(Name, sent) as string
    expect([...stored].length).toBe(30)
    expect(isStorableText(stored, { max: 10 })).toBe(true)
  })

  it("whatever it decodes to is storable text, for any string (property)", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 14 }), fc.string({ unit: "grapheme", maxLength: 12 })), (input) => {
      const value = decoded(Note, input)
      if (value !== undefined) expect(isStorableText(value as string, { max: 10, blank: true })).toBe(true)
    }), { numRuns: 2_000 })
  })
})

describe("stored text (an event's text field)", () => {
  const Stored = Schema.Struct({ name: StoredText({ max: 10 }) })
  const encodes = (name: string) => Schema.encodeUnknownExit(Stored)({ name })._tag === "Success"

  it("refuses to append what caller text could never decode to", () => {
    expect(encodes("Lobby")).toBe(true)
    for (const bad of ["a\u0000", " Lobby", "Cafe\u0301", "", "a\ud800", "x".repeat(31)]) expect(encodes(bad), JSON.stringify(bad)).toBe(false)
  })

  it("reads back whatever an older version wrote, so a read side can map it rather than fail", () => {
    expect(decode(Stored, { name: "a\u0000 " })._tag).toBe("Success")
  })
})
