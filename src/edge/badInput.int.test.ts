// Bad input on every route: malformed JSON, wrong media type, wrong types, missing and unknown fields, oversized
// bodies, negative/float/huge amounts, unknown currencies, SQL-looking strings, bad ids, bad query values and
// headers. Cases are generated from each route's published schema (the OpenAPI document) applied to the valid
// request of the route table. Every one must answer 4xx problem+json, leak nothing, and append no event.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, startEdgeSystem } from "../../test/support/edge.ts"
import { buildWorld, type Request, type RouteCase, ROUTES, type World } from "../../test/support/edgeRoutes.ts"
import { DEFAULT_LIMITS } from "./index.ts"

type Json = Record<string, unknown>

interface BadCase {
  readonly name: string
  /** The status the edge must answer. */
  readonly status: number
  /** Turns the route's valid request into the bad one: a JSON payload, or a raw body with its content type. */
  mutate(valid: Request): Request & { readonly raw?: { body: string; contentType: string } }
}

const SQL = "'; DROP TABLE payments; --"
const ASTRAL = "😀"

/** A property's schema with `allOf` parts folded in, as Effect emits several checks on one value; `patterns` keeps them all. */
function flat(schema: Json): Json {
  const parts = ((schema.allOf as Array<Json> | undefined) ?? []).map(flat)
  const folded = parts.reduce<Json>((acc, part) => ({ ...acc, ...part }), { ...schema, allOf: undefined })
  return { ...folded, patterns: [schema.pattern, ...parts.flatMap((p) => p.patterns as Array<unknown>)].filter((p) => typeof p === "string") }
}

/** Strings that break one of a property's patterns: SQL where only ids fit, controls and blanks where text fits. */
function patternBreakers(schema: Json, inUrl: boolean): Array<[string, string]> {
  const patterns = (schema.patterns as Array<string>).map((p) => new RegExp(p, "u"))
  const candidates: Array<[string, string]> = [
    ["an SQL-looking string", SQL], ["a NUL character", "a\u0000b"], ["a C1 control character", "a\u0085b"], ["only spaces", "   "],
    // A URL cannot carry an unpaired surrogate: it arrives as U+FFFD.
    ...(inUrl ? [] : [["an unpaired surrogate", "a\ud800b"] as [string, string]]),
  ]
  return candidates.filter(([, value]) => patterns.some((p) => !p.test(value)))
}

const typesOf = (schema: Json): ReadonlyArray<string> => {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Array<Json>).flatMap((s) => typesOf(flat(s)))
  return schema.type === undefined ? [] : [schema.type as string]
}

/** Values of the wrong JSON type for a property: "1250" for an integer, 42 for a string, null where not nullable. */
function wrongTypes(schema: Json): Array<[string, unknown]> {
  const types = typesOf(schema)
  const candidates: Array<[string, unknown, string]> = [
    ["a string", "1250", "string"], ["a float", 12.5, "number"], ["true", true, "boolean"], ["an array", [1], "array"],
    ["an object", { a: 1 }, "object"], ["null", null, "null"],
  ]
  return candidates
    .filter(([, value, type]) => !types.includes(type) && !(type === "number" && types.includes("integer") && Number.isInteger(value)))
    .filter(([, , type]) => !(type === "string" && schema.enum === undefined && types.length === 0))
    .map(([label, value]) => [label, value])
}

/** Values of the right type that break the property's own constraints. */
function outOfBounds(schema: Json): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  const types = typesOf(schema)
  if (types.includes("integer")) {
    out.push(["a float", 12.5], ["a huge number", 1e20], ["2^53 + 2", 2 ** 53 + 2])
    if (typeof schema.exclusiveMinimum === "number" || typeof schema.minimum === "number") out.push(["a negative number", -1])
    if (schema.exclusiveMinimum === 0) out.push(["zero", 0])
    if (typeof schema.maximum === "number" && schema.maximum < 2 ** 53 - 1) out.push(["one over the maximum", schema.maximum + 1])
  }
  if (types.includes("string")) {
    if (Array.isArray(schema.enum)) {
      out.push(["an unknown value", "XXX"])
      const lower = String(schema.enum[0]).toLowerCase()
      if (!schema.enum.includes(lower)) out.push(["the right value in lower case", lower])
    }
    out.push(...patternBreakers(schema, false))
    if (typeof schema.maxLength === "number") out.push(["one code point too long", ASTRAL.repeat(schema.maxLength + 1)])
    if (typeof schema.minLength === "number" && schema.minLength > 1) out.push(["one code point too short", "x".repeat(schema.minLength - 1)])
  }
  return out
}

function bodyCases(schema: Json): Array<BadCase> {
  const properties = (schema.properties ?? {}) as Record<string, Json>
  const required = (schema.required ?? []) as Array<string>
  const withBody = (valid: Request, change: (body: Json) => unknown): Request => ({ ...valid, payload: change({ ...(valid.payload as Json) }) })
  const cases: Array<BadCase> = [
    { name: "malformed JSON", status: 400, mutate: (v) => ({ ...v, raw: { body: '{"amount": 12', contentType: "application/json" } }) },
    { name: "a form instead of JSON", status: 415, mutate: (v) => ({ ...v, raw: { body: "amount=1250", contentType: "application/x-www-form-urlencoded" } }) },
    { name: "text/plain", status: 415, mutate: (v) => ({ ...v, raw: { body: JSON.stringify(v.payload), contentType: "text/plain" } }) },
    { name: "an empty body", status: 400, mutate: (v) => ({ ...v, raw: { body: "", contentType: "application/json" } }) },
    { name: "an array", status: 400, mutate: (v) => ({ ...v, payload: [v.payload] }) },
    { name: "a bare string", status: 400, mutate: (v) => ({ ...v, raw: { body: '"hello"', contentType: "application/json" } }) },
    { name: "null", status: 400, mutate: (v) => ({ ...v, raw: { body: "null", contentType: "application/json" } }) },
    { name: "an unknown field", status: 400, mutate: (v) => withBody(v, (b) => ({ ...b, isAdmin: true })) },
    { name: "a __proto__ key", status: 400, mutate: (v) => ({ ...v, raw: { body: `{"__proto__":{"role":"admin"},${JSON.stringify(v.payload).slice(1)}`, contentType: "application/json" } }) },
    {
      name: "a body over the size limit",
      status: 413,
      mutate: (v) => ({ ...v, raw: { body: JSON.stringify({ ...(v.payload as Json), pad: "x".repeat(DEFAULT_LIMITS.bodyLimitBytes) }), contentType: "application/json" } }),
    },
  ]
  if (required.length > 0 || typeof schema.minProperties === "number") cases.push({ name: "an empty object", status: 400, mutate: (v) => ({ ...v, payload: {} }) })
  for (const field of required) {
    cases.push({ name: `${field} missing`, status: 400, mutate: (v) => withBody(v, (b) => { delete b[field]; return b }) })
  }
  for (const [field, raw] of Object.entries(properties)) {
    const property = flat(raw)
    for (const [label, value] of [...wrongTypes(property), ...outOfBounds(property)]) {
      cases.push({ name: `${field} is ${label}`, status: 400, mutate: (v) => withBody(v, (b) => ({ ...b, [field]: value })) })
    }
  }
  return cases
}

interface Parameter { readonly in: string; readonly name: string; readonly required?: boolean; readonly schema: Json }

/** The URL with the value of the template's `:name` segment replaced (the query string kept). */
function withPathParam(url: string, template: string, name: string, value: string): string {
  const [path, query] = url.split("?")
  const index = template.split("/").indexOf(`:${name}`)
  const segments = path!.split("/")
  segments[index] = value
  return segments.join("/") + (query === undefined ? "" : `?${query}`)
}

function parameterCases(template: string, parameters: ReadonlyArray<Parameter>): Array<BadCase> {
  const cases: Array<BadCase> = []
  for (const p of parameters) {
    const schema = flat(p.schema)
    if (p.in === "path") {
      const values: ReadonlyArray<[string, string, number]> = [
        ["an SQL-looking id", encodeURIComponent(SQL), 400],
        ["a traversal", "..%2F..%2Fetc%2Fpasswd", 400],
        ["not UTF-8", "%E0%A4%A", 400],
        // Longer than the router's limit: refused before routing, as 414 URI Too Long.
        ["a 300-character id", `ksk_${"a".repeat(296)}`, 414],
      ]
      for (const [label, value, status] of values) {
        cases.push({ name: `path ${p.name} is ${label}`, status, mutate: (v) => ({ ...v, url: withPathParam(v.url, template, p.name, value) }) })
      }
    }
    if (p.in === "query") {
      const values: Array<[string, string]> = []
      const types = typesOf(schema)
      if (types.includes("integer")) values.push(["not a number", "abc"], ["negative", "-1"], ["a float", "2.5"], ["huge", "1e30"])
      if (types.includes("boolean")) values.push(["not a boolean", "maybe"])
      if (Array.isArray(schema.enum)) values.push(["an unknown value", "bogus"])
      values.push(...patternBreakers(schema, true))
      if (typeof schema.maxLength === "number") values.push(["too long", "q".repeat(schema.maxLength + 1)])
      for (const [label, value] of values) {
        cases.push({
          name: `query ${p.name} is ${label}`,
          status: 400,
          mutate: (v) => {
            const url = new URL(v.url, "http://edge")
            url.searchParams.set(p.name, value)
            return { ...v, url: `${url.pathname}${url.search}` }
          },
        })
      }
    }
    if (p.in === "header") {
      if (p.required) cases.push({ name: `header ${p.name} missing`, status: 400, mutate: (v) => ({ ...v, headers: without(v.headers, p.name) }) })
      for (const [label, value] of [["too long", "k".repeat(201)], ["an SQL-looking string with spaces", SQL]] as const) {
        cases.push({ name: `header ${p.name} is ${label}`, status: 400, mutate: (v) => ({ ...v, headers: { ...v.headers, [p.name]: value } }) })
      }
    }
  }
  return cases
}

const without = (headers: Record<string, string> | undefined, name: string) =>
  Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => k.toLowerCase() !== name))

/** Fields of a money amount get the full treatment whatever their schema says: the issue names them. */
const AMOUNT_CASES: ReadonlyArray<[string, unknown]> = [["negative", -1250], ["zero", 0], ["a float", 12.5], ["huge", 1e20], ["a string", "1250"], ["unsafe", 2 ** 60]]

let sys: EdgeSystem
let world: World
let document: { paths: Record<string, Record<string, { parameters?: Array<Parameter>; requestBody?: { content: Record<string, { schema: Json }> } }>> }

beforeAll(async () => {
  sys = await startEdgeSystem()
  world = await buildWorld(sys)
  document = (await sys.app.inject({ url: "/docs/json" })).json()
})

afterAll(async () => {
  await sys?.close()
})

/** The caller a route admits, so that bad input reaches validation rather than stopping at the guard. */
function tokenFor(route: RouteCase): string | undefined {
  if (route.access === "public") return undefined
  const [first] = route.access
  return first === "kiosk" ? world.kioskA.deviceToken : world[first!].token
}

function casesFor(route: RouteCase): Array<BadCase> {
  const operation = document.paths[route.route.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()]
  if (operation === undefined) throw new Error(`${route.method} ${route.route} is not in the OpenAPI document`)
  const body = operation.requestBody?.content["application/json"]?.schema
  const cases = [...parameterCases(route.route, operation.parameters ?? []), ...(body ? bodyCases(body) : [])]
  if (body && "amount" in ((body.properties ?? {}) as Json)) {
    for (const [label, value] of AMOUNT_CASES) {
      cases.push({ name: `amount ${label} (${String(value)})`, status: 400, mutate: (v) => ({ ...v, payload: { ...(v.payload as Json), amount: value } }) })
    }
  }
  return cases
}

const LEAKS = /node_modules|\.ts:\d+|\bat [\w.<>]+ \(|stack|SELECT |relation "|jetstream|Kysely/i

// Only routes that take input: a probe or a page without parameters has nothing to get wrong.
const WITH_INPUT = ROUTES.filter((r) => !["/healthz", "/readyz", "/metrics", "/docs", "/docs/json", "/auth/me", "/audit/status"].includes(r.route))

describe.each(WITH_INPUT)("$method $route", (route) => {
  it("refuses every bad input with a 4xx problem and appends nothing", async () => {
    const cases = casesFor(route)
    expect(cases.length).toBeGreaterThan(0)
    const token = tokenFor(route)
    const failures: Array<string> = []
    for (const bad of cases) {
      // A fresh valid request per case (it may create state); only then the baseline of every stream.
      const request = bad.mutate(await route.request(world))
      const before = await sys.streamTotals()
      const response = await sys.app.inject({
        method: route.method,
        url: request.url,
        headers: {
          ...request.headers,
          ...(token !== undefined ? sys.bearer(token) : {}),
          ...(request.raw ? { "content-type": request.raw.contentType } : {}),
        },
        ...(request.raw ? { payload: request.raw.body } : request.payload !== undefined ? { payload: request.payload as object } : {}),
      })
      const after = await sys.streamTotals()
      const problems: Array<string> = []
      if (response.statusCode !== bad.status) problems.push(`status ${response.statusCode}, expected ${bad.status}`)
      if (!String(response.headers["content-type"]).startsWith("application/problem+json")) problems.push(`content-type ${response.headers["content-type"]}`)
      if (LEAKS.test(response.body)) problems.push(`leaks internals: ${response.body.slice(0, 200)}`)
      if (after !== before) problems.push(`appended ${after - before} event(s)`)
      if (problems.length > 0) failures.push(`${bad.name}: ${problems.join("; ")} — ${response.body.slice(0, 160)}`)
    }
    expect(failures).toEqual([])
  })
})

describe("SQL-looking text where text is allowed", () => {
  it("is stored and searched as plain text", async () => {
    const name = "Robert'); DROP TABLE kiosks;--"
    const { kiosk, seq } = await sys.registerKiosk(world.admin, name)
    const headers = sys.bearer(world.admin.token)
    const one = await sys.app.inject({ url: `/kiosks/${kiosk.id}?min_seq=${seq}`, headers })
    expect(one.statusCode).toBe(200)
    expect(one.json().name).toBe(name)
    const search = await sys.app.inject({ url: `/kiosks?q=${encodeURIComponent("' OR '1'='1")}&min_seq=${seq}`, headers })
    expect(search.statusCode).toBe(200)
    expect(search.json().items).toEqual([])
    const found = await sys.app.inject({ url: `/kiosks?q=${encodeURIComponent("DROP TABLE")}&min_seq=${seq}`, headers })
    expect(found.json().items.map((k: { id: string }) => k.id)).toEqual([kiosk.id])
  })
})
