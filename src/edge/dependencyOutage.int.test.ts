// The edge while a dependency is down: a `serve --roles edge` process on a nats-server and a Postgres cluster of the
// test's own, each stopped and started again. While one is down, the routes that need it answer 503 problem+json
// with Retry-After, quickly (never a 500, never a hang), the others keep working, and the edge recovers by itself.
// A kiosk client selling through the outage waits at least what Retry-After asks, then delivers each sale once.
import { spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStore, type EventStoreShape, registerUser, systemActor } from "../commands/index.ts"
import { findNatsServer } from "../cli/index.ts"
import { openFileJournal, openKioskClient } from "../kiosk-client/node.ts"
import { commandRuntime } from "../../test/support/commandRuntime.ts"
import { PASSWORD } from "../../test/support/edge.ts"
import { type OwnServices, startOwnServices } from "../../test/support/ownServices.ts"
import { exactlyOnce, paymentsInStream } from "../../test/support/paymentsInStream.ts"
import { freePort, type RoleProcess, startRoles } from "../../test/support/roleProcess.ts"
import { testEnv } from "../../test/support/settings.ts"

let services: OwnServices
let edge: RoleProcess
let runtime: Awaited<ReturnType<typeof commandRuntime>>
let store: EventStoreShape
let base: string
let dir: string
let adminToken: string
let kiosk: { id: string; deviceToken: string }

beforeAll(async () => {
  services = await startOwnServices("edge-outage")
  dir = await mkdtemp(join(tmpdir(), "edge-outage-kiosk-"))
  const port = await freePort()
  const env = testEnv({ NATS_URL: services.nats.url, DATABASE_URL: services.postgres.url, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info" })
  edge = await startRoles("edge", env)
  base = `http://127.0.0.1:${port}`
  runtime = await commandRuntime(env)
  store = await runtime.run(EventStore)
  await runtime.run(registerUser({ username: "outage-admin", password: PASSWORD, role: "admin" }, { actor: systemActor("test"), correlationId: "outage" }))
  adminToken = ((await call("POST", "/auth/login", { body: { username: "outage-admin", password: PASSWORD } })).body as { token: string }).token
  const registered = (await call("POST", "/kiosks", { token: adminToken, body: { name: "Outage kiosk", location: "Test hall" } })).body as {
    kiosk: { id: string }; deviceToken: string
  }
  kiosk = { id: registered.kiosk.id, deviceToken: registered.deviceToken }
})

afterAll(async () => {
  await edge?.kill("SIGTERM")
  await runtime?.dispose()
  await services?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: Record<string, unknown>
  readonly ms: number
}

async function call(method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const started = Date.now()
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {}, ms: Date.now() - started }
}

const pay = (amount: number) =>
  call("POST", "/payments", {
    token: kiosk.deviceToken,
    headers: { "idempotency-key": crypto.randomUUID() },
    body: { kiosk_id: kiosk.id, amount, currency: "EUR" },
  })
const listPayments = () => call("GET", "/payments?limit=5", { token: adminToken })
const edgeErrors = () => edge.output().split("\n").filter((l) => /request failed|dependency unavailable/.test(l)).slice(-6).join("\n")

function expectUnavailable(answer: Answer, dependency: string) {
  expect(answer.status, `${JSON.stringify(answer.body)}\n${edgeErrors()}`).toBe(503)
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/)
  expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
  expect(answer.body).toMatchObject({ status: 503, type: "https://admin-kiosk.dev/problems/unavailable" })
  expect(String(answer.body.detail)).toContain(dependency)
  // At once (well under the 5 s a NATS request would wait for its timeout; a loaded machine adds its share): a
  // kiosk must not hold a connection open to learn that it should come back later.
  expect(answer.ms).toBeLessThan(4_000)
}

/** Polls `attempt` until it answers `status`; the answers seen before it, for the test to judge. */
async function until(status: number, attempt: () => Promise<Answer>, timeoutMs = 45_000): Promise<Array<Answer>> {
  const seen: Array<Answer> = []
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await attempt()
    if (answer.status === status) return seen
    seen.push(answer)
    if (Date.now() > deadline) throw new Error(`no ${status} within ${timeoutMs} ms; last ${answer.status} ${JSON.stringify(answer.body)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe("the edge while NATS is down", () => {
  it("answers 503 with Retry-After at once to every route that needs it, stays alive, and recovers when NATS returns", { timeout: 180_000 }, async () => {
    expect((await pay(100)).status).toBe(201)
    await services.nats.stop()
    try {
      expectUnavailable(await pay(101), "NATS")
      expectUnavailable(await pay(102), "NATS")
      // Signed-in reads too: every user request checks its session, which lives in NATS (KV).
      expectUnavailable(await listPayments(), "NATS")
      expect((await call("GET", "/healthz")).status).toBe(200)
      const ready = await call("GET", "/readyz")
      expect(ready.status).toBe(503)
      expect(ready.headers.get("retry-after")).not.toBeNull()
    } finally {
      await services.nats.start()
    }
    const before = await until(201, () => pay(103))
    // While it reconnects, still a 503 or nothing worse.
    for (const answer of before) expect(answer.status, `${JSON.stringify(answer.body)}\n${edgeErrors()}`).toBe(503)
    await until(200, () => call("GET", "/readyz"))
  })
})

describe("the edge while NATS answers but JetStream does not", () => {
  it("answers 503 with Retry-After (no responders for the JetStream API), and recovers when JetStream is back", { timeout: 180_000 }, async () => {
    await services.nats.stop()
    // The same port, a nats-server without -js: the edge reconnects, and every JetStream request finds no responder.
    const plain = spawn(findNatsServer()!, ["-a", "127.0.0.1", "-p", new URL(services.nats.url).port], { stdio: "ignore" })
    try {
      // Reconnected (the readiness check's flush passes) while the streams stay out of reach.
      const deadline = Date.now() + 30_000
      for (;;) {
        const ready = await call("GET", "/readyz")
        const checks = ready.body.checks as Record<string, { ok: boolean }> | undefined
        if (checks?.nats?.ok === true && checks["stream:PAYMENTS"]?.ok === false) break
        if (Date.now() > deadline) throw new Error(`the edge did not reconnect to the plain nats-server: ${JSON.stringify(ready.body)}`)
        await new Promise((r) => setTimeout(r, 250))
      }
      expectUnavailable(await pay(150), "NATS")
      expectUnavailable(await listPayments(), "NATS")
    } finally {
      plain.kill("SIGTERM")
      if (plain.exitCode === null && plain.signalCode === null) await once(plain, "exit")
      await services.nats.start()
    }
    const before = await until(201, () => pay(152))
    for (const answer of before) expect(answer.status, `${JSON.stringify(answer.body)}\n${edgeErrors()}`).toBe(503)
  })
})

describe("the edge while Postgres is down", () => {
  it("answers 503 with Retry-After to reads, keeps taking payments (the write side needs only NATS), and recovers", { timeout: 180_000 }, async () => {
    const listed = await listPayments()
    expect(listed.status, `${JSON.stringify(listed.body)}\n${edgeErrors()}`).toBe(200)
    await services.postgres.stop()
    try {
      expectUnavailable(await listPayments(), "Postgres")
      expectUnavailable(await call("GET", "/kiosks?limit=5", { token: adminToken }), "Postgres")
      expect((await pay(200)).status).toBe(201)
    } finally {
      await services.postgres.start()
    }
    const before = await until(200, listPayments)
    for (const answer of before) expect(answer.status, `${JSON.stringify(answer.body)}\n${edgeErrors()}`).toBe(503)
  })
})

describe("a kiosk selling through a NATS outage", () => {
  it("is told 503 with Retry-After, waits at least that long before asking again, and delivers each sale once", { timeout: 180_000 }, async () => {
    const attempts: Array<{ at: number; status: number | "error"; retryAfter: number | undefined }> = []
    const recording: typeof fetch = async (input, init) => {
      try {
        const response = await fetch(input, init)
        if (new URL(String(input instanceof Request ? input.url : input)).pathname === "/payments") {
          const retryAfter = response.headers.get("retry-after")
          attempts.push({ at: Date.now(), status: response.status, retryAfter: retryAfter === null ? undefined : Number(retryAfter) })
        }
        return response
      } catch (error) {
        attempts.push({ at: Date.now(), status: "error", retryAfter: undefined })
        throw error
      }
    }
    const own = (await call("POST", "/kiosks", { token: adminToken, body: { name: "Retry-After kiosk", location: "Test hall" } })).body as {
      kiosk: { id: string }; deviceToken: string
    }
    const client = await openKioskClient({
      baseUrl: base,
      store: await openFileJournal(join(dir, "journal.log")),
      deviceToken: own.deviceToken,
      retry: { baseMs: 50, maxMs: 200 },
      requestTimeoutMs: 15_000,
      fetch: recording,
    })
    try {
      await services.nats.stop()
      const keys: Array<string> = []
      try {
        for (let i = 0; i < 5; i++) keys.push((await client.recordPayment({ amount: 300 + i, currency: "EUR" })).key)
        const deadline = Date.now() + 30_000
        while (attempts.filter((a) => a.status === 503).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
        expect(client.status().queueDepth).toBe(5)
      } finally {
        await services.nats.start()
      }
      await client.drained(60_000)
      expect(client.status()).toMatchObject({ queueDepth: 0, delivered: 5, rejected: [] })

      const refused = attempts.filter((a) => a.status === 503)
      expect(refused.length).toBeGreaterThanOrEqual(2)
      for (const a of refused) expect(a.retryAfter).toBeGreaterThanOrEqual(1)
      // The client's own back-off here is at most 200 ms: any longer gap after a 503 is the edge's Retry-After.
      attempts.forEach((a, i) => {
        const next = attempts[i + 1]
        if (a.status === 503 && next !== undefined) expect(next.at - a.at).toBeGreaterThanOrEqual(a.retryAfter! * 1_000 - 50)
      })
      const report = exactlyOnce(new Map([[own.kiosk.id, keys]]), await paymentsInStream(store))
      expect(report).toEqual({ accepted: 5, inStream: 5, losses: [], duplicates: [], unexplained: [] })
    } finally {
      await client.close()
    }
  })
})
