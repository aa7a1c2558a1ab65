// What an attacker sends an HTTP API, as fast-check arbitraries over an OpenAPI operation: values its schemas
// admit (from schemaArbitrary.ts) mixed with everything they don't — controls and lone surrogates, huge and deeply
// nested values, wrong types, dates at every bound, forged cursors, raw bytes that are not UTF-8, broken JSON.
import fc from "fast-check"
import { arbitraryFor, instants, type Json, SPECIALS } from "./schemaArbitrary.ts"

export interface Parameter {
  readonly in: string
  readonly name: string
  readonly required?: boolean
  readonly schema: Json
}

export interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Json }> }
  readonly security?: ReadonlyArray<Record<string, unknown>>
}

/** A request as bytes on the wire would carry it, before it is addressed to a server. */
export interface HostileRequest {
  readonly path: string
  /** Query pairs, each value already percent-encoded (so it may carry bytes that are not UTF-8). */
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly headers: Record<string, string>
  readonly body?: { readonly contentType: string; readonly bytes: Buffer }
}

/** Percent-encodes what `encodeURIComponent` refuses too: a lone surrogate goes out as its WTF-8 bytes (not UTF-8). */
export function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    let out = ""
    for (const ch of text) {
      const code = ch.codePointAt(0)!
      if (code >= 0xd800 && code <= 0xdfff) {
        out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("")
      } else out += encodeURIComponent(ch)
    }
    return out
  }
}

const HUGE = ["a".repeat(70_000), "\u0000".repeat(4_000), "😀".repeat(20_000), "é".repeat(9_000), " ".repeat(5_000)]

/** Strings no sane client sends. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...SPECIALS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...SPECIALS)).map(([s, special]) => `${s}${special}${s}`) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
  { weight: 1, arbitrary: fc.constantFrom("..", "../../../etc/passwd", "%00", "%2e%2e%2f", "${jndi:ldap://x}", "' OR 1=1 --", "<script>", "null", "NaN", "-0", "1e309") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
)

/** Days and instants at every bound: Postgres's, JavaScript's, the business's and the calendar's. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  instants(),
  fc.constantFrom(
    "0000-01-01", "0001-01-01", "1969-12-31", "1970-01-01", "1999-12-31", "2000-01-01", "9999-12-31", "10000-01-01",
    "+275760-09-13T00:00:00Z", "-271821-04-20T00:00:00Z", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1",
    "294277-01-01", "4714-11-24 BC", "infinity", "-infinity", "epoch", "now", "today", "",
    new Date().toISOString().slice(0, 10), new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
  ),
)

const SORTS = ["name", "-name", "code", "-code", "occurred_at", "-occurred_at", "recorded_at", "-recorded_at", "registered_at",
  "-registered_at", "username", "-username", "day", "-day", "amount", "-amount", "created_at", "-created_at"]

/** Cursors shaped like ours (base64url of `[sort, key, id]`) with keys Postgres must never see, and plain garbage. */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...SORTS), fc.oneof<fc.Arbitrary<unknown>[]>(hostileString, hostileDate, fc.constantFrom(1e308, -1, 2 ** 63, 0.5, null, [], {})),
    fc.oneof(hostileString, fc.constant("usr_00000000000000000000000000"))).map((parts) => Buffer.from(JSON.stringify(parts)).toString("base64url")),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? "").toString("base64url")),
  hostileString,
  fc.constantFrom("", "=", "!!!", "eyJ", Buffer.from("[\"-occurred_at\",\"2026-01-01T00:00:00Z\"").toString("base64url")),
)

/** A value of any JSON type: what a field gets when the caller does not care what the schema says. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0),
  fc.string({ maxLength: 8 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
)

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileDate, wrongType)

/** Raw JSON text nested `depth` deep: arrays or objects. */
const nestedJson = fc.tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)

/**
 * A schema's value with its id fields (`kiosk_id`, `operatorId`…) often set to real ids, so that requests get past
 * "not found" to the rules behind it; and sometimes one property replaced by a hostile value or an unknown one added.
 */
function tampered(schema: Json, ids: ReadonlyArray<string>): fc.Arbitrary<unknown> {
  const real = ids.length > 0 ? fc.option(fc.constantFrom(...ids), { freq: 2 }) : fc.constant(null)
  return fc.tuple(arbitraryFor(schema), fc.option(fc.tuple(fc.nat(), hostileValue, fc.boolean()), { freq: 2 }), real).map(([generated, change, id]) => {
    let value = generated
    if (id !== null && typeof value === "object" && value !== null && !Array.isArray(value)) {
      value = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /(^|_)id$|Id$/.test(k) ? id : v]))
    }
    if (change === null || typeof value !== "object" || value === null || Array.isArray(value)) return value
    const [at, replacement, extra] = change
    const keys = Object.keys((schema.properties ?? {}) as Json)
    const key = extra || keys.length === 0 ? ["__proto__", "constructor", "\u0000", "x".repeat(300), "extra"][at % 5]! : keys[at % keys.length]!
    return { ...(value as Json), [key]: replacement }
  })
}

const json = (value: unknown) => ({ contentType: "application/json", bytes: Buffer.from(JSON.stringify(value) ?? "null") })

function bodyFor(schema: Json | undefined, ids: ReadonlyArray<string>): fc.Arbitrary<HostileRequest["body"]> {
  const raw = (contentType: string) => (text: string | Buffer) => ({ contentType, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) })
  const broken = fc.oneof(
    nestedJson.map(raw("application/json")),
    fc.constantFrom('{"a":', "{'a':1}", "", "\u0000", '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}')
      .map(raw("application/json")),
    // Bytes that are not UTF-8 inside a JSON string, and a UTF-16 body announced as JSON.
    fc.constantFrom(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0xff, 0xfe, 0x00, 0x22, 0x7d]), Buffer.from('{"a":"b"}', "utf16le"))
      .map(raw("application/json")),
    fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/xml")
      .map((type) => ({ contentType: type, bytes: Buffer.from("name=x&amount=1") })),
    fc.constantFrom(...HUGE).map((text) => json({ name: text, amount: text, code: text })),
  )
  if (schema === undefined) return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: broken })
  return fc.oneof(
    { weight: 6, arbitrary: tampered(schema, ids).map(json) },
    { weight: 1, arbitrary: wrongType.map(json) },
    { weight: 2, arbitrary: broken },
  )
}

function queryValue(parameter: Parameter): fc.Arbitrary<ReadonlyArray<string>> {
  const admitted = arbitraryFor(parameter.schema).map((v) => (typeof v === "string" ? v : JSON.stringify(v) ?? ""))
  const special = parameter.name === "cursor" ? forgedCursor : /from|to|day|as_of|since|until/.test(parameter.name) ? hostileDate : hostileString
  const one = fc.oneof({ weight: 4, arbitrary: admitted }, { weight: 3, arbitrary: special }, { weight: 1, arbitrary: hostileString })
  // Mostly one value; sometimes the parameter twice (an array where the schema wants a scalar).
  return fc.oneof({ weight: 6, arbitrary: one.map((v) => [v]) }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) })
}

/**
 * Requests for one operation: path parameters from `ids` (real ones, so requests get past "not found") or anything
 * else; query parameters present or not, admitted or hostile, sometimes unknown ones; headers the operation names;
 * a body its schema admits, tampered with, of the wrong type, broken or huge.
 */
export function hostileRequestFor(path: string, operation: Operation, ids: ReadonlyArray<string>): fc.Arbitrary<HostileRequest> {
  const parameters = operation.parameters ?? []
  const inPath = parameters.filter((p) => p.in === "path")
  const inQuery = parameters.filter((p) => p.in === "query")
  const inHeaders = parameters.filter((p) => p.in === "header")
  const pathValue = (p: Parameter) => fc.oneof(
    { weight: 4, arbitrary: ids.length > 0 ? fc.constantFrom(...ids) : fc.constant("x") },
    { weight: 2, arbitrary: arbitraryFor(p.schema).map(String) },
    { weight: 2, arbitrary: hostileString },
  )
  return fc.record({
    pathValues: fc.tuple(...inPath.map(pathValue)),
    query: fc.tuple(...inQuery.map((p) => fc.option(queryValue(p), { freq: 2 }))),
    unknownQuery: fc.option(fc.tuple(fc.constantFrom("__proto__", "constructor", "limit[]", "x", "\u0000"), hostileString), { freq: 6 }),
    headers: fc.tuple(...inHeaders.map((p) => fc.option(fc.oneof(arbitraryFor(p.schema).map(String), hostileString), { freq: 4 }))),
    body: bodyFor(operation.requestBody?.content["application/json"]?.schema, ids),
  }).map(({ pathValues, query, unknownQuery, headers, body }) => {
    let filled = path
    inPath.forEach((p, i) => { filled = filled.replace(`{${p.name}}`, percentEncode(pathValues[i]!)) })
    const pairs: Array<readonly [string, string]> = []
    inQuery.forEach((p, i) => { for (const value of query[i] ?? []) pairs.push([p.name, percentEncode(value)]) })
    if (unknownQuery !== null) pairs.push([percentEncode(unknownQuery[0]), percentEncode(unknownQuery[1])])
    const headerValues: Record<string, string> = {}
    inHeaders.forEach((p, i) => { if (headers[i] !== null && headers[i] !== undefined) headerValues[p.name] = headers[i]! })
    return { path: filled, query: pairs, headers: headerValues, ...(body === undefined ? {} : { body }) }
  })
}
