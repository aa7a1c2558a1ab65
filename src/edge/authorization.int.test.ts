// The authorization matrix: every route × every kind of caller → the status the contract promises, generated
// from the one route table (test/support/edgeRoutes.ts), against the real app on real NATS and Postgres.
import { createHmac } from "node:crypto"
import { Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, startEdgeSystem } from "../../test/support/edge.ts"
import {
  buildWorld, expectedStatus, isOutsideApi, PRINCIPALS, type PrincipalName, ROUTES, type World,
} from "../../test/support/edgeRoutes.ts"

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>
const signHs256 = (secret: string, header: unknown, payload: unknown) => {
  const body = `${b64(header)}.${b64(payload)}`
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`
}

let sys: EdgeSystem
let world: World
let tokens: Record<PrincipalName, string | undefined>

beforeAll(async () => {
  sys = await startEdgeSystem()
  world = await buildWorld(sys)
  const secret = Redacted.value(sys.settings.jwtSecret)
  const adminClaims = payloadOf(world.admin.token)
  const now = Math.floor(Date.now() / 1000)
  const [h, , s] = world.operator.token.split(".")
  tokens = {
    none: undefined,
    // Signed with the right key, but an hour past its expiry.
    expired: signHs256(secret, { alg: "HS256", typ: "JWT" }, { ...adminClaims, iat: now - 3_700, exp: now - 100 }),
    // The operator's token with its role edited to admin: the signature no longer matches.
    tampered: `${h}.${b64({ ...payloadOf(world.operator.token), role: "admin" })}.${s}`,
    // "alg": "none" and no signature, the classic JWT bypass.
    "alg-none": `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...adminClaims, exp: now + 600 })}.`,
    admin: world.admin.token,
    operator: world.operator.token,
    auditor: world.auditor.token,
    kiosk: world.kioskA.deviceToken,
    "other-kiosk": world.kioskB.deviceToken,
  }
})

afterAll(async () => {
  await sys?.close()
})

describe("the route table", () => {
  it("covers every route the app serves, and nothing it does not", () => {
    const served = new Set(
      sys.app.routeAccess
        .filter((r) => r.method !== "HEAD" && !isOutsideApi(r.url))
        .map((r) => `${r.method} ${r.url}`),
    )
    const tabled = new Set(ROUTES.map((r) => `${r.method} ${r.route}`))
    expect([...served].filter((r) => !tabled.has(r))).toEqual([])
    expect([...tabled].filter((r) => !served.has(r))).toEqual([])
  })
})

describe.each(ROUTES)("$method $route", (route) => {
  it.each(PRINCIPALS)("as %s", async (who) => {
    const request = await route.request(world)
    const token = tokens[who]
    const response = await sys.app.inject({
      method: route.method,
      url: request.url,
      ...(request.payload !== undefined ? { payload: request.payload as object } : {}),
      headers: { ...request.headers, ...(token !== undefined ? sys.bearer(token) : {}) },
    })
    const expected = expectedStatus(route, who)
    expect(response.statusCode, response.body).toBe(expected)
    if (expected >= 400) {
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/)
      expect(response.json()).toMatchObject({ status: expected, title: expect.any(String), type: expect.any(String) })
    }
    if (expected === 401) expect(response.headers["www-authenticate"]).toBe("Bearer")
  })
})
