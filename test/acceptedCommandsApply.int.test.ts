// The write side's promise to the read side, as a property: whatever a command route's published schema admits
// and the edge accepts (2xx), every projector applies — nothing parked, every checkpoint at its stream's end.
// Requests are generated from each route's JSON Schema in the OpenAPI document (the very schema Fastify validates
// with), laid over the route table's valid request (real ids, real tokens), so the test follows the routes as
// their schemas change. PROPERTY_RUNS sets the number of runs (default 300), PROPERTY_SEED replays a failure's seed,
// PROPERTY_LOG_LEVEL shows the system's logs (default fatal: none).
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { closeNats, connectNats, naming, type NatsClients } from "../src/platform/index.ts"
import { closeDb, type DbHandle, openDb, projectionsStatus } from "../src/projections/index.ts"
import { type EdgeSystem, startEdgeSystem } from "./support/edge.ts"
import { buildWorld, type Request, type RouteCase, ROUTES, type World } from "./support/edgeRoutes.ts"
import { arbitraryFor, type Json } from "./support/schemaArbitrary.ts"

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300)

interface Operation {
  readonly parameters?: ReadonlyArray<{ readonly in: string; readonly name: string; readonly schema: Json }>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Json }> }
}

/** How one run changes the route's valid request: per field, keep the valid value or take the generated one. */
interface Plan {
  readonly route: RouteCase
  readonly body: Json | undefined
  readonly keepBody: ReadonlyArray<boolean>
  readonly headers: Json
  readonly keepHeaders: ReadonlyArray<boolean>
}

let sys: EdgeSystem
let world: World
let db: DbHandle
let nats: NatsClients
let commands: ReadonlyArray<{ route: RouteCase; operation: Operation }> = []
const tally = new Map<string, { sent: number; accepted: number }>()

const label = (route: RouteCase) => `${route.method} ${route.route}`
const readSide = () => ({ db, nats, names: naming(sys.settings.namespace) })

/** The caller a route admits (its first role; kiosk A's device token for kiosk routes). */
function tokenFor(route: RouteCase): string | undefined {
  if (route.access === "public") return undefined
  const [first] = route.access
  return first === "kiosk" ? world.kioskA.deviceToken : world[first!].token
}

function send(route: RouteCase, request: Request) {
  const token = tokenFor(route)
  return sys.app.inject({
    method: route.method, url: request.url, payload: request.payload as never,
    headers: { ...request.headers, ...(token === undefined ? {} : sys.bearer(token)) },
  })
}

/** Waits (generously: the machine may be busy) until every projection has applied its whole stream. */
async function everyProjectionAtItsEnd() {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    const status = await projectionsStatus(readSide())
    if (status.every((s) => s.checkpoint === s.streamLastSeq)) return status
  }
  throw new Error(`projections did not reach their streams' ends within 60 s (PROPERTY_LOG_LEVEL=warn shows why): ${
    JSON.stringify(await projectionsStatus(readSide()))}`)
}

function planFor({ route, operation }: (typeof commands)[number]): fc.Arbitrary<Plan> {
  const body = operation.requestBody?.content["application/json"]?.schema
  const headers = (operation.parameters ?? []).filter((p) => p.in === "header")
  const bodyKeys = Object.keys((body?.properties ?? {}) as Json)
  // Two in three fields keep the valid value (a real kiosk id, a known code), so that most requests get past
  // the checks that need real things and the generated values reach the events.
  const keep = fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
  return fc.record({
    route: fc.constant(route),
    body: body === undefined ? fc.constant(undefined) : arbitraryFor(body) as fc.Arbitrary<Json>,
    keepBody: fc.array(keep, { minLength: bodyKeys.length, maxLength: bodyKeys.length }),
    headers: fc.record(Object.fromEntries(headers.map((h) => [h.name, arbitraryFor(h.schema)])), { requiredKeys: [] }) as fc.Arbitrary<Json>,
    keepHeaders: fc.array(keep, { minLength: headers.length, maxLength: headers.length }),
  })
}

/** The valid request with, field by field, the valid value kept or the generated one put in its place. */
function overlay(valid: Request, plan: Plan, operation: Operation): Request {
  const schema = operation.requestBody?.content["application/json"]?.schema
  const mix = (keys: ReadonlyArray<string>, keep: ReadonlyArray<boolean>, base: Json, generated: Json) => {
    const out: Json = {}
    keys.forEach((key, i) => {
      if (keep[i] && key in base) out[key] = base[key]
      else if (key in generated) out[key] = generated[key]
    })
    return out
  }
  const headerNames = (operation.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name)
  const others = Object.entries(valid.headers ?? {}).filter(([name]) => !headerNames.includes(name))
  const headers = { ...Object.fromEntries(others), ...mix(headerNames, plan.keepHeaders, valid.headers ?? {}, plan.headers) } as Record<string, string>
  return {
    url: valid.url,
    headers,
    ...(schema === undefined ? {} : { payload: mix(Object.keys((schema.properties ?? {}) as Json), plan.keepBody, (valid.payload ?? {}) as Json, plan.body ?? {}) }),
  }
}

beforeAll(async () => {
  sys = await startEdgeSystem({ env: { LOG_LEVEL: process.env.PROPERTY_LOG_LEVEL ?? "fatal" } })
  world = await buildWorld(sys)
  db = openDb(sys.settings, "test-property")
  nats = await connectNats(sys.settings, "test-property")
  const document = (await sys.app.inject({ url: "/docs/json" })).json() as { paths: Record<string, Record<string, Operation>> }
  // The command routes: every route but reads whose valid request appends to a stream.
  const found: Array<(typeof commands)[number]> = []
  for (const route of ROUTES.filter((r) => r.method !== "GET")) {
    const operation = document.paths[route.route.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()]
    if (operation === undefined) throw new Error(`${label(route)} is not in the OpenAPI document`)
    const before = await sys.streamTotals()
    const response = await send(route, await route.request(world))
    expect(response.statusCode, `${label(route)}: ${response.body}`).toBe(route.ok)
    if ((await sys.streamTotals()) > before) found.push({ route, operation })
  }
  commands = found
}, 180_000)

afterAll(async () => {
  await closeNats(nats)
  await closeDb(db)
  await sys?.close()
})

describe("whatever the edge accepts", () => {
  it("every projector applies: no event parked, every checkpoint at its stream's end", async () => {
    expect(commands.map((c) => label(c.route))).toEqual(expect.arrayContaining(["POST /payments", "POST /kiosks", "POST /auth/register"]))
    await fc.assert(fc.asyncProperty(fc.oneof(...commands.map(planFor)), async (plan) => {
      const { operation } = commands.find((c) => c.route === plan.route)!
      const request = overlay(await plan.route.request(world), plan, operation)
      const response = await send(plan.route, request)
      const counts = tally.get(label(plan.route)) ?? { sent: 0, accepted: 0 }
      tally.set(label(plan.route), { sent: counts.sent + 1, accepted: counts.accepted + (response.statusCode < 300 ? 1 : 0) })
      expect(response.statusCode, response.body).toBeLessThan(500)
      const status = await everyProjectionAtItsEnd()
      expect(status.filter((s) => s.parked > 0).map((s) => [s.name, s.parked])).toEqual([])
    }), { numRuns: RUNS, ...(process.env.PROPERTY_SEED === undefined ? {} : { seed: Number(process.env.PROPERTY_SEED) }) })
    process.stdout.write(`requests per command route (sent / accepted):\n${[...tally].map(([route, c]) => `  ${route}: ${c.sent} / ${c.accepted}`).join("\n")}\n`)
    // A route tried this often and never accepting means the generator cannot make what it admits: say so.
    for (const { route } of commands) {
      const { sent, accepted } = tally.get(label(route)) ?? { sent: 0, accepted: 0 }
      if (sent >= 10) expect(accepted, `${label(route)} accepted none of ${sent} generated requests`).toBeGreaterThan(0)
    }
  }, 1_200_000)
})
