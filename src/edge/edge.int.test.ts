// The edge's behaviour beyond who-may-call-what: device credentials, operator scoping and cursor paging,
// request ids that become correlation ids, metrics, readiness, security headers and CORS, rate limits, the QR
// label, idempotency conflicts, and failures that answer 500 without internals.
import { randomUUID } from "node:crypto"
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { Effect, Layer, ManagedRuntime } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader"
import { type EdgeSystem, PASSWORD, RELAXED_LIMITS, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { testSettings } from "../../test/support/settings.ts"
import { type Commit, provisionStreams, registerUser, systemActor, writeSideLayer } from "../commands/index.ts"
import { closeNats, connectNats, makeLogger, naming, Nats, registry } from "../platform/index.ts"
import { Db } from "../projections/index.ts"
import { buildApp, openSessionStore } from "./index.ts"
import { readinessOf } from "./readiness.ts"

let sys: EdgeSystem
let admin: Session

beforeAll(async () => {
  sys = await startEdgeSystem()
  admin = await sys.userWithRole("admin")
})
afterAll(async () => {
  await sys?.close()
})

const as = (session: Session | string) => sys.bearer(typeof session === "string" ? session : session.token)
const pay = (deviceToken: string, kioskId: string, amount: number, currency = "EUR", key: string = randomUUID()) =>
  sys.app.inject({
    method: "POST", url: "/payments", headers: { ...as(deviceToken), "idempotency-key": key },
    payload: { kiosk_id: kioskId, amount, currency },
  })

describe("kiosk device credentials", () => {
  it("are shown once, not cached, and rotate: the old token stops, the new one works", async () => {
    const registered = await sys.app.inject({ method: "POST", url: "/kiosks", headers: as(admin), payload: { name: "Rotating" } })
    expect(registered.statusCode).toBe(201)
    expect(registered.headers["cache-control"]).toBe("no-store")
    const { kiosk, deviceToken, seq } = registered.json()
    const shown = await sys.app.inject({ url: `/kiosks/${kiosk.id}?min_seq=${seq}`, headers: as(admin) })
    expect(shown.body).not.toContain(deviceToken.split(".")[2])

    const beat = (token: string) => sys.app.inject({ method: "POST", url: `/kiosks/${kiosk.id}/heartbeat`, headers: as(token), payload: {} })
    expect((await beat(deviceToken)).statusCode).toBe(202)
    const rotated = await sys.app.inject({ method: "POST", url: `/kiosks/${kiosk.id}/credentials`, headers: as(admin) })
    expect(rotated.statusCode).toBe(200)
    expect(rotated.json().credentialVersion).toBe(2)
    expect((await beat(deviceToken)).statusCode).toBe(401)
    expect((await beat(rotated.json().deviceToken)).statusCode).toBe(202)
  })

  it("let a kiosk do nothing but its own heartbeats and payments", async () => {
    const { kiosk, deviceToken } = await sys.registerKiosk(admin)
    for (const url of ["/auth/me", "/kiosks", `/kiosks/${kiosk.id}`, "/payments"]) {
      expect((await sys.app.inject({ url, headers: as(deviceToken) })).statusCode, url).toBe(403)
    }
    expect((await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: as(deviceToken), payload: { code: await sys.pairingCode(admin, kiosk.id) } })).statusCode).toBe(403)
    // A forged token for this kiosk (right shape, wrong secret) is not a credential at all.
    const forged = `${deviceToken.split(".").slice(0, 2).join(".")}.${"A".repeat(43)}`
    expect((await pay(forged, kiosk.id, 100)).statusCode).toBe(401)
  })

  it("a retried payment is answered once; the same key for another amount is refused", async () => {
    const { kiosk, deviceToken } = await sys.registerKiosk(admin)
    const key = randomUUID()
    const first = await pay(deviceToken, kiosk.id, 500, "EUR", key)
    expect(first.statusCode).toBe(201)
    const before = await sys.streamTotals()
    const replay = await pay(deviceToken, kiosk.id, 500, "EUR", key)
    expect(replay.statusCode).toBe(200)
    expect(replay.headers["idempotent-replayed"]).toBe("true")
    expect(replay.json()).toEqual(first.json())
    // The receipt is the one payment shape, every field sent: as the refund answer and the lists show it.
    const receipt = first.json().payment
    expect(receipt).toEqual({
      id: expect.any(String), kioskId: kiosk.id, amount: 500, currency: "EUR", refunded: 0, net: 500, status: "captured",
      operatorId: null, occurredAt: expect.any(String), recordedAt: expect.any(String),
    })
    const listed = await sys.app.inject({ url: `/payments/${receipt.id}?min_seq=${first.json().seq}`, headers: as(admin) })
    expect(listed.json().payment).toMatchObject(receipt)
    const misuse = await pay(deviceToken, kiosk.id, 900, "EUR", key)
    expect(misuse.statusCode).toBeGreaterThanOrEqual(400)
    expect(misuse.statusCode).toBeLessThan(500)
    expect(misuse.headers["content-type"]).toMatch(/problem\+json/)
    expect(await sys.streamTotals()).toBe(before)
  })

  it("a retried refund answers the original refund; the same key for another amount or reason is refused (422)", async () => {
    const { kiosk, deviceToken } = await sys.registerKiosk(admin)
    const paid = (await pay(deviceToken, kiosk.id, 1000)).json()
    const key = randomUUID()
    const refund = (payload: { amount: number; reason?: string }) => sys.app.inject({
      method: "POST", url: `/payments/${paid.payment.id}/refund`, headers: { ...as(admin), "idempotency-key": key }, payload,
    })
    const first = await refund({ amount: 300, reason: "damaged" })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().refund.amount).toBe(300)
    expect(first.json().payment).toEqual({ ...paid.payment, refunded: 300, net: 700, status: "partially_refunded" })
    const before = await sys.streamTotals()

    const retry = await refund({ amount: 300, reason: "damaged" })
    expect(retry.statusCode, retry.body).toBe(200)
    expect(retry.json().refund).toEqual(first.json().refund)
    expect(retry.json().payment).toMatchObject({ refunded: 300, status: "partially_refunded" })

    for (const misuse of [{ amount: 200, reason: "damaged" }, { amount: 300, reason: "goodwill" }, { amount: 300 }, { amount: 900, reason: "damaged" }]) {
      const refused = await refund(misuse)
      expect(refused.statusCode, JSON.stringify(misuse)).toBe(422)
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/)
      expect(refused.json()).toMatchObject({ status: 422, detail: expect.stringMatching(/Idempotency-Key/) })
    }
    expect(await sys.streamTotals()).toBe(before)
  })
})

describe("operators see their own kiosks and payments only", () => {
  let olivia: Session
  let oscar: Session
  let auditor: Session
  let mine: Array<{ id: string }>
  let theirs: { id: string }
  let lastSeq = 0
  /** The last pairing's KIOSKS position: a kiosk list asked at it shows every assignment. */
  let pairedSeq = 0

  beforeAll(async () => {
    olivia = await sys.userWithRole("operator")
    oscar = await sys.userWithRole("operator")
    auditor = await sys.userWithRole("auditor")
    const claim = async (operator: Session) => {
      const { kiosk, deviceToken } = await sys.registerKiosk(admin)
      const paired = await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: as(operator), payload: { code: await sys.pairingCode(admin, kiosk.id) } })
      expect(paired.statusCode).toBe(200)
      return { id: kiosk.id as string, deviceToken, seq: paired.json().seq as number }
    }
    const k1 = await claim(olivia)
    const k2 = await claim(olivia)
    const k3 = await claim(oscar)
    mine = [k1, k2]
    theirs = k3
    pairedSeq = Math.max(k1.seq, k2.seq, k3.seq)
    // Five payments on Olivia's kiosks (two currencies), two on Oscar's.
    const amounts: Array<[typeof k1, number, string]> = [[k1, 100, "EUR"], [k1, 250, "EUR"], [k2, 999, "USD"], [k2, 40, "EUR"], [k1, 7, "USD"], [k3, 500, "EUR"], [k3, 600, "EUR"]]
    for (const [k, amount, currency] of amounts) {
      const paid = await pay(k.deviceToken, k.id, amount, currency)
      expect(paid.statusCode).toBe(201)
      lastSeq = Math.max(lastSeq, paid.json().seq)
    }
  })

  it("lists and single reads are scoped for operators, not for admins and auditors", async () => {
    const kiosks = await sys.app.inject({ url: `/kiosks?min_seq=${pairedSeq}`, headers: as(olivia) })
    expect(kiosks.json().items.map((k: { id: string }) => k.id).sort()).toEqual(mine.map((k) => k.id).sort())
    expect((await sys.app.inject({ url: `/kiosks/${theirs.id}`, headers: as(olivia) })).statusCode).toBe(404)
    expect((await sys.app.inject({ url: `/kiosks/${theirs.id}`, headers: as(auditor) })).statusCode).toBe(200)

    const payments = await sys.app.inject({ url: `/payments?min_seq=${lastSeq}&limit=50`, headers: as(olivia) })
    const seen = payments.json().items as Array<{ kioskId: string }>
    expect(seen).toHaveLength(5)
    expect(seen.every((p) => mine.some((k) => k.id === p.kioskId))).toBe(true)
    // Asking for another operator's kiosk by filter gives nothing, not their payments.
    const sneaky = await sys.app.inject({ url: `/payments?kiosk_id=${theirs.id}&min_seq=${lastSeq}`, headers: as(olivia) })
    expect(sneaky.json().items).toEqual([])
    const all = await sys.app.inject({ url: `/payments?min_seq=${lastSeq}&limit=200`, headers: as(auditor) })
    expect(all.json().items.length).toBeGreaterThanOrEqual(7)
  })

  it("pages with an opaque cursor, filters and sorts", async () => {
    const seen: Array<string> = []
    let url: string | null = `/payments?min_seq=${lastSeq}&limit=2&sort=amount`
    const amounts: Array<number> = []
    while (url !== null) {
      const page = await sys.app.inject({ url, headers: as(olivia) })
      expect(page.statusCode).toBe(200)
      const body = page.json() as { items: Array<{ id: string; amount: number }>; next_cursor: string | null }
      expect(body.items.length).toBeLessThanOrEqual(2)
      seen.push(...body.items.map((p) => p.id))
      amounts.push(...body.items.map((p) => p.amount))
      url = body.next_cursor === null ? null : `/payments?limit=2&sort=amount&cursor=${body.next_cursor}`
    }
    expect(seen).toHaveLength(5)
    expect(new Set(seen).size).toBe(5)
    expect(amounts).toEqual([7, 40, 100, 250, 999])

    const usd = await sys.app.inject({ url: `/payments?currency=USD&min_seq=${lastSeq}`, headers: as(olivia) })
    expect(usd.json().items.map((p: { amount: number }) => p.amount).sort((a: number, b: number) => a - b)).toEqual([7, 999])
    const today = new Date().toISOString().slice(0, 10)
    const byDay = await sys.app.inject({ url: `/payments?from=${today}&to=${today}&min_seq=${lastSeq}`, headers: as(olivia) })
    expect(byDay.json().items).toHaveLength(5)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const future = await sys.app.inject({ url: `/payments?from=${tomorrow}&min_seq=${lastSeq}`, headers: as(olivia) })
    expect(future.json().items).toEqual([])
    // A cursor made for one sort is refused under another, and a forged one is refused: a 400 naming the cursor.
    const refused = async (url: string, field: string) => {
      const response = await sys.app.inject({ url, headers: as(olivia) })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().errors.map((e: { path: string }) => e.path), url).toEqual([`/${field}`])
    }
    const page = (await sys.app.inject({ url: "/payments?limit=1&sort=amount", headers: as(olivia) })).json()
    await refused(`/payments?limit=1&sort=-amount&cursor=${page.next_cursor}`, "cursor")
    await refused("/payments?cursor=bm90LWEtY3Vyc29y", "cursor")
    // Dates that do not exist, or that Postgres or the business would not take, are refused, not sent to Postgres.
    for (const from of ["2024-02-30", "0000-01-01", "1999-12-31", "2999-01-01", "9999-12-31T23:59:59Z"]) await refused(`/payments?from=${from}`, "from")
  })
})

describe("request ids", () => {
  it("come back on the response and become the events' correlation id", async () => {
    const response = await sys.app.inject({
      method: "POST", url: "/kiosks", headers: { ...as(admin), "x-request-id": "trace-abc-123" }, payload: { name: "Traced" },
    })
    expect(response.headers["x-request-id"]).toBe("trace-abc-123")
    const nats = await connectNats(sys.settings, "test")
    try {
      const names = naming(sys.settings.namespace)
      const stored = await nats.jsm.direct.getMessage(names.stream("KIOSKS"), { last_by_subj: names.subject.kiosk(response.json().kiosk.id) })
      const commit = stored!.json<Commit>()
      expect(commit.correlationId).toBe("trace-abc-123")
      expect(commit.actor).toEqual({ kind: "user", id: admin.user.id, role: "admin" })
    } finally {
      await closeNats(nats)
    }
  })

  it("are made up when the caller's is missing or unsafe", async () => {
    const unsafe = await sys.app.inject({ url: "/healthz", headers: { "x-request-id": "bad id\nwith newline" } })
    expect(unsafe.headers["x-request-id"]).toMatch(/^req_[0-9a-z]{20,32}$/)
    const none = await sys.app.inject({ url: "/healthz" })
    expect(none.headers["x-request-id"]).toMatch(/^req_[0-9a-z]{20,32}$/)
  })
})

describe("probes and metrics", () => {
  it("the registry counts requests by route template and status, and commands by outcome; the API port does not serve it", async () => {
    const { kiosk } = await sys.registerKiosk(admin)
    await sys.app.inject({ url: `/kiosks/${kiosk.id}/qr`, headers: as(admin) })
    const taken = { username: admin.user.username, password: PASSWORD }
    expect((await sys.app.inject({ method: "POST", url: "/auth/register", payload: taken })).statusCode).toBe(409)
    // Prometheus scrapes the ops port (METRICS_PORT, serve's ops server), never the public one.
    expect((await sys.app.inject({ url: "/metrics" })).statusCode).toBe(404)
    const text = await registry.metrics()
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/kiosks\/:id\/qr",status="200"\} \d+/)
    expect(text).toMatch(/commands_total\{command="registerKiosk",outcome="ok"\} \d+/)
    expect(text).toMatch(/commands_total\{command="registerUser",outcome="Conflict"\} \d+/)
    expect(text).toMatch(/command_duration_seconds_count\{command="registerKiosk"\} \d+/)
    // The other rooms' metrics share the process's registry: append latency, projection lag.
    expect(text).toMatch(/eventstore_append_seconds_count\{/)
    expect(text).toMatch(/projection_lag_events\{projection="kiosks"\}/)
    expect(text).not.toContain(kiosk.id)
  })

  it("/readyz answers 503 problem+json while a stream is missing, 200 again once it is back", async () => {
    const nats = await connectNats(sys.settings, "test")
    try {
      const names = naming(sys.settings.namespace)
      await nats.jsm.streams.delete(names.stream("TELEMETRY"))
      const down = await sys.app.inject({ url: "/readyz" })
      expect(down.statusCode).toBe(503)
      expect(down.headers["content-type"]).toMatch(/problem\+json/)
      expect(down.headers["retry-after"]).toBe("5")
      expect(down.json().checks["stream:TELEMETRY"]).toEqual({ ok: false, detail: "stream missing or unreachable" })
      expect(down.json().checks.postgres.ok).toBe(true)
      await provisionStreams(nats.jsm, names)
      expect((await sys.app.inject({ url: "/readyz" })).statusCode).toBe(200)
    } finally {
      await closeNats(nats)
    }
  })

  it("a read asking for a sequence the read model has not reached answers 503 with Retry-After; one past the stream's end, 400", async () => {
    // No projectors: the KIOSKS read model stays behind the stream.
    const still = await startEdgeSystem({ projectors: false })
    try {
      const { seq } = await still.registerKiosk(await still.userWithRole("admin"))
      const auditor = await still.userWithRole("auditor")
      const started = Date.now()
      const behind = await still.app.inject({ url: `/kiosks?min_seq=${seq}`, headers: still.bearer(auditor.token) })
      expect(behind.statusCode).toBe(503)
      expect(behind.headers["retry-after"]).toBe("1")
      expect(behind.json()).toMatchObject({ status: 503, type: "https://admin-kiosk.dev/problems/not-ready" })
      // Bounded: the query waited a few seconds, not forever.
      expect(Date.now() - started).toBeLessThan(10_000)
      // A sequence no event has can never be reached: refused at once.
      const beyond = await still.app.inject({ url: `/kiosks?min_seq=${seq + 1}`, headers: still.bearer(auditor.token) })
      expect(beyond.statusCode).toBe(400)
      expect(beyond.json().errors).toEqual([expect.objectContaining({ in: "querystring", path: "/min_seq" })])
    } finally {
      await still.close()
    }
  })

  it("/healthz answers without touching dependencies", async () => {
    expect((await sys.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" })
  })
})

describe("headers", () => {
  it("carry the security headers everywhere, errors included", async () => {
    for (const url of ["/healthz", "/nope", "/docs"]) {
      const response = await sys.app.inject({ url })
      expect(response.headers["x-content-type-options"], url).toBe("nosniff")
      expect(response.headers["content-security-policy"], url).toContain("default-src 'self'")
      expect(response.headers["x-frame-options"], url).toBe("SAMEORIGIN")
      expect(response.headers["strict-transport-security"], url).toBeDefined()
      expect(response.headers["x-powered-by"], url).toBeUndefined()
    }
  })

  it("allow cross-origin calls only from the configured origins", async () => {
    const cors = await startEdgeSystem({ env: { CORS_ORIGINS: "https://console.example.com" }, projectors: false })
    try {
      const preflight = (origin: string) => cors.app.inject({
        method: "OPTIONS", url: "/kiosks", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      })
      const allowed = await preflight("https://console.example.com")
      expect(allowed.statusCode).toBe(204)
      expect(allowed.headers["access-control-allow-origin"]).toBe("https://console.example.com")
      expect(allowed.headers["access-control-allow-headers"]).toContain("authorization")
      const refused = await preflight("https://evil.example.net")
      expect(refused.headers["access-control-allow-origin"]).toBeUndefined()
      // The default (no CORS_ORIGINS) admits no other origin at all.
      const none = await sys.app.inject({ method: "OPTIONS", url: "/kiosks", headers: { origin: "https://console.example.com", "access-control-request-method": "GET" } })
      expect(none.headers["access-control-allow-origin"]).toBeUndefined()
    } finally {
      await cors.close()
    }
  })
})

describe("rate limits", () => {
  it("answer 429 problem+json with Retry-After on login, registration and kiosk routes", async () => {
    const limited = await startEdgeSystem({ edge: { limits: { ...RELAXED_LIMITS, loginPerMinute: 3, registerPerMinute: 2, kioskPerMinute: 4 } }, projectors: false })
    try {
      // The admin's own login is the first of the three this client may make this minute.
      const boss = await limited.userWithRole("admin")
      const login = () => limited.app.inject({ method: "POST", url: "/auth/login", payload: { username: "nobody-here", password: "whatever it is" } })
      const logins = [await login(), await login(), await login()]
      expect(logins.map((r) => r.statusCode)).toEqual([401, 401, 429])
      const tooMany = logins[2]!
      expect(tooMany.headers["content-type"]).toMatch(/problem\+json/)
      expect(Number(tooMany.headers["retry-after"])).toBeGreaterThan(0)
      expect(tooMany.json()).toMatchObject({ status: 429, title: "Too Many Requests" })

      const register = (n: number) => limited.app.inject({ method: "POST", url: "/auth/register", payload: { username: `rl-user-${n}`, password: PASSWORD } })
      expect([(await register(1)).statusCode, (await register(2)).statusCode, (await register(3)).statusCode]).toEqual([201, 201, 429])

      // Kiosk routes count per device: one kiosk's burst does not starve another.
      const a = await limited.registerKiosk(boss)
      const b = await limited.registerKiosk(boss)
      const beat = (k: typeof a) => limited.app.inject({ method: "POST", url: `/kiosks/${k.kiosk.id}/heartbeat`, headers: limited.bearer(k.deviceToken), payload: {} })
      const burst = []
      for (let i = 0; i < 5; i++) burst.push((await beat(a)).statusCode)
      expect(burst).toEqual([202, 202, 202, 202, 429])
      expect((await beat(b)).statusCode).toBe(202)
    } finally {
      await limited.close()
    }
  })
})

describe("the QR label", () => {
  it("is an SVG whose symbol decodes to the kiosk's pairing code (its code and an 80-bit secret)", async () => {
    const { kiosk } = await sys.registerKiosk(admin, "Label <&> test")
    const response = await sys.app.inject({ url: `/kiosks/${kiosk.id}/qr`, headers: as(admin) })
    expect(response.statusCode).toBe(200)
    expect(response.headers["content-type"]).toMatch(/^image\/svg\+xml/)
    const svg = response.body
    expect(svg).toContain(`>${kiosk.code}<`)
    const pairingCode = await sys.pairingCode(admin, kiosk.id)
    expect(pairingCode).toMatch(new RegExp(`^${kiosk.code}:[0-9A-HJKMNP-TV-Z]{16}$`))
    // The secret is printed too, in groups of four, for typing it in without a camera.
    expect(svg).toContain(`>${pairingCode.split(":")[1]!.match(/.{4}/g)!.join("-")}<`)
    expect(svg).toContain("Label &lt;&amp;&gt; test")

    // Rasterise the symbol (the path's squares) and read it with a real QR decoder.
    const side = Number(/width="(\d+)"/.exec(svg)![1])
    const rgba = new Uint8ClampedArray(side * side * 4).fill(255)
    for (const [, x, y] of svg.matchAll(/M(\d+) (\d+)h8v8h-8z/g)) {
      for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) {
        const i = ((Number(y) + dy) * side + Number(x) + dx) * 4
        rgba[i] = rgba[i + 1] = rgba[i + 2] = 0
      }
    }
    const wasm = await readFile(fileURLToPath(import.meta.resolve("zxing-wasm/reader/zxing_reader.wasm")))
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true })
    const [found] = await readBarcodes({ data: rgba, width: side, height: side, colorSpace: "srgb" } as Parameters<typeof readBarcodes>[0], { formats: ["QRCode"] })
    expect(found?.text).toBe(pairingCode)
  })
})

describe("the OpenAPI document", () => {
  it("keeps the integer, bound, enum and pattern constraints of the Effect Schemas", async () => {
    const document = (await sys.app.inject({ url: "/docs/json" })).json()
    expect(document.openapi).toBe("3.1.0")
    const body = document.paths["/payments"].post.requestBody.content["application/json"].schema
    expect(body.properties.amount).toMatchObject({ type: "integer", exclusiveMinimum: 0, maximum: 99_999_999 })
    expect(body.properties.currency.enum).toContain("EUR")
    expect(body.properties.currency.enum).not.toContain("XXX")
    expect(body.properties.kiosk_id.pattern).toBe("^[a-z]{2,4}_[0-9a-z]{8,64}$")
    expect(body.additionalProperties).toBe(false)
    expect(body.required).toEqual(["kiosk_id", "amount", "currency"])
    const header = document.paths["/payments"].post.parameters.find((p: { name: string }) => p.name === "idempotency-key")
    expect(header).toMatchObject({ in: "header", required: true })
    expect(document.paths["/payments"].post.security).toEqual([{ userToken: [] }, { deviceToken: [] }])
    expect(document.paths["/payments"].post.responses["4XX"].content["application/problem+json"]).toBeDefined()
  })
})

describe("failures we did not foresee", () => {
  it("answer 500 problem+json with the request id and nothing of the cause", async () => {
    // A read-model database that does not exist: every query fails inside the pg driver.
    const settings = await testSettings({ DATABASE_URL: sys.settings.databaseUrl.replace(/\/[^/]*$/, "/no_such_database"), LOG_LEVEL: "fatal" })
    const runtime = ManagedRuntime.make(Db.layerWithRole("test").pipe(Layer.provideMerge(writeSideLayer(settings, "test"))))
    try {
      const { clients, handle } = await runtime.runPromise(Effect.all({ clients: Nats, handle: Db }))
      const names = naming(settings.namespace)
      const app = await buildApp({
        settings, runtime, logger: makeLogger(settings, "test"),
        sessions: await openSessionStore({ kvm: clients.kvm, bucket: names.bucket("sessions") }),
        readiness: readinessOf({ nats: clients, names, pingDatabase: () => sql`select 1`.execute(handle.db) }),
      })
      await runtime.runPromise(registerUser({ username: "root", password: PASSWORD, role: "admin" }, { actor: systemActor("test"), correlationId: "t" }))
      const login = await app.inject({ method: "POST", url: "/auth/login", payload: { username: "root", password: PASSWORD } })
      expect(login.statusCode).toBe(200)
      const failed = await app.inject({ url: "/kiosks", headers: { authorization: `Bearer ${login.json().token}`, "x-request-id": "boom-1" } })
      expect(failed.statusCode).toBe(500)
      expect(failed.headers["content-type"]).toMatch(/problem\+json/)
      expect(failed.json()).toEqual({
        type: "https://admin-kiosk.dev/problems/internal", title: "Internal Server Error", status: 500,
        detail: "Something went wrong on our side; quote the request id if you report it", instance: "/kiosks", requestId: "boom-1",
      })
      const ready = await app.inject({ url: "/readyz" })
      expect(ready.statusCode).toBe(503)
      expect(ready.json().checks.postgres).toEqual({ ok: false, detail: "Postgres does not answer" })
      expect(ready.body).not.toContain("no_such_database")
      await app.close()
    } finally {
      await runtime.dispose()
    }
  })
})
