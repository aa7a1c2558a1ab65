// fast-check arbitraries for the JSON Schemas a route publishes (the draft 2020-12 subset Effect emits), so that a
// property test follows whatever the routes validate with. Values lean on what breaks storage: NUL and other
// controls, lone surrogates, combining marks, astral characters, lengths at the bounds, instants at every bound.
import fc from "fast-check"

export type Json = Record<string, unknown>

/** A schema with its `allOf` parts folded in (Effect emits several checks on one value that way). */
export function flat(schema: Json): Json {
  const parts = (schema.allOf as Array<Json> | undefined) ?? []
  return parts.reduce<Json>((acc, part) => ({ ...acc, ...flat(part) }), { ...schema, allOf: undefined })
}

/** Characters that break storage or parsing somewhere: controls, lone surrogates, invisibles, combining marks, quotes. */
export const SPECIALS = [
  "\u0000", "\u0001", "\u001f", "\u007f", "\u0085", "\u009f", "\ud800", "\udfff", "\ufeff", "\u200b", "\u202e", "\u00a0",
  " ", "\t", "\n", "e\u0301", "\u1e9b\u0323", "😀", "\uffff", "\ufffd", "'", "\"", "\\", "%", "<", "&", "ß", "İ",
]

/** One "character": mostly letters, often any code point, sometimes one of the usual suspects. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIALS) },
)

/** Instants around now and at every bound a route or a database might have. */
export function instants(): fc.Arbitrary<string> {
  const now = Date.now()
  const day = 86_400_000
  const iso = (ms: number) => new Date(ms).toISOString()
  // Mostly the last three months (what a kiosk may forward), a little either side, and then every bound.
  const recent = fc.integer({ min: now - 95 * day, max: now + 6 * 60_000 })
  return fc.oneof(
    { weight: 4, arbitrary: recent.map(iso) },
    { weight: 2, arbitrary: recent.map((ms) => `${iso(ms).slice(0, 19)}Z`) },
    { weight: 1, arbitrary: fc.constantFrom(
      "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999Z", "2026-02-30T10:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
      iso(now + 5 * 60_000 - 1_000), iso(now + 5 * 60_000 + 1_000), iso(now - 90 * day + 60_000), iso(now - 90 * day - 60_000),
      `${iso(now).slice(0, 19)}.123456789Z`,
    ) },
  )
}

/** Strings a pattern admits: generated from the pattern itself, with suspects slipped in where it still matches. */
function matching(pattern: string, maxLength: number | undefined): fc.Arbitrary<string> {
  const regex = new RegExp(pattern, "u")
  const fits = (s: string) => regex.test(s) && (maxLength === undefined || [...s].length <= maxLength)
  const sources: Array<fc.WeightedArbitrary<string>> = []
  // Mostly real instants where the pattern is an instant's (and only there: a filter that never passes would spin).
  if (fits(new Date().toISOString())) sources.push({ weight: 6, arbitrary: instants().filter(fits) })
  try {
    const generated = fc.stringMatching(regex).filter(fits)
    sources.push({ weight: 1, arbitrary: generated })
    sources.push({ weight: 1, arbitrary: fc.tuple(generated, fc.constantFrom(...SPECIALS), fc.nat()).map(([s, special, at]) => {
      const i = at % (s.length + 1)
      const slipped = s.slice(0, i) + special + s.slice(i)
      return fits(slipped) ? slipped : s
    }) })
  } catch {
    // A pattern fast-check cannot generate from: fall back to free text the route will mostly refuse.
    sources.push({ weight: 1, arbitrary: text({ maxLength }) })
  }
  return fc.oneof(...sources)
}

function text(schema: Json): fc.Arbitrary<string> {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0
  const max = typeof schema.maxLength === "number" ? schema.maxLength : 300
  const short = fc.string({ unit, minLength: min, maxLength: Math.max(min, Math.min(max, 24)) })
  const long = fc.string({ unit: fc.constantFrom("a", "é", "😀", "\u0000", " "), minLength: Math.max(min, max - 2), maxLength: max })
  return fc.oneof({ weight: 5, arbitrary: short }, { weight: 1, arbitrary: long }, { weight: 1, arbitrary: fc.constantFrom(" ", "  x  ", "\u0000") })
}

function integer(schema: Json): fc.Arbitrary<number> {
  const exclusiveMin = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : undefined
  const min = Math.max(typeof schema.minimum === "number" ? schema.minimum : Number.MIN_SAFE_INTEGER, exclusiveMin ?? Number.MIN_SAFE_INTEGER)
  const exclusiveMax = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum - 1 : undefined
  const max = Math.min(typeof schema.maximum === "number" ? schema.maximum : Number.MAX_SAFE_INTEGER, exclusiveMax ?? Number.MAX_SAFE_INTEGER)
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max), fc.integer({ min: Math.max(min, 0), max: Math.min(max, 1_000) }))
}

function object(schema: Json): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Json>
  const required = (schema.required ?? []) as Array<string>
  const maxKeys = typeof schema.maxProperties === "number" ? schema.maxProperties : 8
  const minKeys = typeof schema.minProperties === "number" ? schema.minProperties : 0
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === "object") {
    const keys = schema.propertyNames === undefined ? text({ maxLength: 40 }) : arbitraryFor(schema.propertyNames as Json) as fc.Arbitrary<string>
    return fc.dictionary(keys, arbitraryFor(schema.additionalProperties as Json), { minKeys, maxKeys })
  }
  const shape = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, arbitraryFor(s)]))
  return fc.record(shape, { requiredKeys: required }).filter((o) => Object.keys(o).length >= minKeys) as fc.Arbitrary<Json>
}

/** Values for `schema`: mostly ones it admits, since the route, not this, is the judge of what is accepted. */
export function arbitraryFor(raw: Json): fc.Arbitrary<unknown> {
  const schema = flat(raw)
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Array<Json>).map((s) => arbitraryFor({ ...schema, anyOf: undefined, ...s })))
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Array<unknown>))
  if ("const" in schema) return fc.constant(schema.const)
  const types = Array.isArray(schema.type) ? schema.type as Array<string> : [schema.type as string | undefined]
  return fc.oneof(...types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        return typeof schema.pattern === "string" ? matching(schema.pattern, schema.maxLength as number | undefined) : text(schema)
      case "integer": return integer(schema)
      case "number": return fc.oneof(integer(schema), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }))
      case "boolean": return fc.boolean()
      case "null": return fc.constant(null)
      case "object": return object(schema)
      case "array": return fc.array(arbitraryFor((schema.items ?? {}) as Json), { maxLength: 4 })
      default: return fc.jsonValue({ maxDepth: 2 })
    }
  }))
}
