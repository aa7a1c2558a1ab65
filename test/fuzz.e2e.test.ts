// The edge fuzzed from outside, as an attacker would (the issue's must-show): a real `serve` process in production
// mode on a real port; every operation of its own OpenAPI document (/docs/json), plus the static folders, gets
// generated requests (hostileRequests.ts: controls, lone surrogates, huge and nested values, dates at every bound,
// forged cursors, wrong types, broken JSON) as each caller — anonymous, operator, admin, auditor, a kiosk's device
// token, a forged token — from 64 loopback addresses (the per-address limits then bind late, and the routes behind
// them get fuzzed too). Then: no answer ≥ 500, no event in any stream whose request was refused (every message's
// correlation id is its request's X-Request-Id), and the process healthy and still serving.
// FUZZ_REQUESTS (default 10,000), FUZZ_CONCURRENCY (16) and FUZZ_SEED (random; printed) tune a run.
import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdir, writeFile } from "node:fs/promises"
import { Agent, request as httpRequest } from "node:http"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { registerUser, systemActor } from "../src/commands/index.ts"
import { readSettings, STREAMS, type StreamKey } from "../src/platform/index.ts"
import { commandRuntime } from "./support/commandRuntime.ts"
import { hostileRequestFor, type HostileRequest, hostileString, type Operation, percentEncode } from "./support/hostileRequests.ts"
import { pairingCodeInLabel } from "./support/pairingLabel.ts"
import { type ServeProcess, startServe } from "./support/serveProcess.ts"
import { testEnv } from "./support/settings.ts"

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000)
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 16)
const SEED = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32LE() >>> 1)
const PASSWORD = "fuzzing-is-a-long-password-42"
/** The edge's default body limit (DEFAULT_LIMITS.bodyLimitBytes). */
const BODY_LIMIT_BYTES = 64 * 1024
const ADDRESSES = Array.from({ length: 64 }, (_, i) => `127.3.${i >> 4}.${(i & 15) + 1}`)

type Role = "anonymous" | "forged" | "admin" | "operator" | "auditor" | "kiosk"
interface Answer { readonly status: number; readonly body: string; readonly headers: Record<string, string | string[] | undefined> }

let serve: ServeProcess
let runtime: Awaited<ReturnType<typeof commandRuntime>>
let workDir: string
const agents = new Map(ADDRESSES.map((address) => [address, new Agent({ keepAlive: true, maxSockets: 4, localAddress: address })]))
const tokens: Partial<Record<Role, string>> = {}
const ids: Array<string> = []
const before = new Map<StreamKey, number>()

/**
 * One request on the wire, from one of our loopback addresses; never throws (a transport failure is status 0).
 * A kept-alive socket the server closed meanwhile fails the request before the server reads it: that one is sent
 * again once, on a connection of its own.
 */
async function send(method: string, request: HostileRequest, token: string | undefined, requestId: string, address: string): Promise<Answer> {
  const first = await sendOnce(method, request, token, requestId, address, true)
  return first.status === 0 ? sendOnce(method, request, token, requestId, address, false) : first
}

function sendOnce(method: string, request: HostileRequest, token: string | undefined, requestId: string, address: string, keepAlive: boolean): Promise<Answer> {
  const query = request.query.map(([k, v]) => `${k}=${v}`).join("&")
  const headers: Record<string, string> = { "x-request-id": requestId }
  for (const [name, value] of Object.entries(request.headers)) {
    // Node refuses to send a header value with control characters: send it percent-encoded instead.
    headers[name] = /^[\t\x20-\x7e\x80-\xff]*$/.test(value) ? value : percentEncode(value)
  }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  if (request.body !== undefined) {
    headers["content-type"] = request.body.contentType
    // Node frames a GET's or DELETE's body only when told its length; unframed, its bytes would reach the server
    // as a second, garbage request on the same connection (answered 400 while the first one is still running).
    headers["content-length"] = String(request.body.bytes.length)
  }
  return new Promise((resolve) => {
    const req = httpRequest({
      host: "127.0.0.1", port: serve.ports.PORT, method, path: query === "" ? request.path : `${request.path}?${query}`,
      headers, timeout: 60_000, ...(keepAlive ? { agent: agents.get(address) } : { agent: false, localAddress: address }),
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }))
      res.on("error", (e) => resolve({ status: 0, body: String(e), headers: {} }))
    })
    req.on("timeout", () => req.destroy(new Error("no answer within 60 s")))
    req.on("error", (e) => resolve({ status: 0, body: String(e), headers: {} }))
    req.end(request.body?.bytes)
  })
}

let setupCount = 0
async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer & { json: () => any }> {
  const request: HostileRequest = {
    path, query: [], headers: {},
    ...(options.body === undefined ? {} : { body: { contentType: "application/json", bytes: Buffer.from(JSON.stringify(options.body)) } }),
  }
  const answer = await send(method, request, options.token, `setup-${setupCount++}`, ADDRESSES[setupCount % ADDRESSES.length]!)
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`)
  return { ...answer, json: () => JSON.parse(answer.body) }
}

async function lastSeqs(): Promise<Map<StreamKey, number>> {
  const out = new Map<StreamKey, number>()
  for (const key of STREAMS) {
    let last = 0
    for await (const commit of runtime.store.replay(key, { fromSeq: (before.get(key) ?? 0) + 1, untilEnd: true })) last = commit.seq
    out.set(key, Math.max(last, before.get(key) ?? 0))
  }
  return out
}

beforeAll(async () => {
  // The static folders are fuzzed as served: on a fresh clone nothing has built them yet (a "not built" 503).
  const root = resolve(import.meta.dirname, "..")
  if (!existsSync(join(root, "ui/dist/index.html")) || !existsSync(join(root, "ui/kiosk/dist/index.html"))) {
    execFileSync("npm", ["run", "build:ui"], { cwd: root, stdio: "ignore" })
  }
  const key = () => randomBytes(32).toString("base64url")
  const env = testEnv({ NODE_ENV: "production", JWT_SECRET: key(), DEVICE_TOKEN_KEY: key(), AUDIT_KEY: key(), LOG_LEVEL: "error" })
  workDir = join(tmpdir(), `fuzz-${env.APP_NAMESPACE}`)
  await mkdir(workDir, { recursive: true })
  runtime = await commandRuntime(await Effect.runPromise(readSettings(env)))
  serve = await startServe("edge,projector", env)
  await serve.until200("METRICS_PORT", "/readyz", 120_000)

  const context = { actor: systemActor("fuzz-setup"), correlationId: "setup-users" }
  for (const role of ["admin", "operator", "auditor"] as const) {
    const { user } = await runtime.run(registerUser({ username: `fuzz-${role}`, password: PASSWORD, role }, context))
    ids.push(user.id)
    tokens[role] = (await call("POST", "/auth/login", { body: { username: `fuzz-${role}`, password: PASSWORD } })).json().token
  }
  const admin = tokens.admin!
  for (const name of ["Fuzz A", "Fuzz B"]) {
    const { kiosk, deviceToken } = (await call("POST", "/kiosks", { token: admin, body: { name, location: "Lab" } })).json()
    ids.push(kiosk.id, kiosk.code)
    tokens.kiosk ??= deviceToken
  }
  const kioskA = ids[3]!
  const label = await call("GET", `/kiosks/${kioskA}/qr`, { token: admin })
  await call("POST", "/kiosks/assign", { token: tokens.operator!, body: { code: pairingCodeInLabel(label.body) } })
  const paid = await send("POST", {
    path: "/payments", query: [], headers: { "idempotency-key": "fuzz-setup-1" },
    body: { contentType: "application/json", bytes: Buffer.from(JSON.stringify({ kiosk_id: kioskA, amount: 5_000, currency: "EUR" })) },
  }, tokens.kiosk, "setup-payment", ADDRESSES[0]!)
  expect(paid.status, paid.body).toBe(201)
  ids.push(JSON.parse(paid.body).payment.id)
  const mail = await call("POST", "/notify/test-email", { token: admin, body: { to: "ops@example.com" } })
  ids.push(mail.json().notificationId)
  // A forged device token for kiosk A (right shape, wrong secret) and a JWT signed with a guessed key.
  tokens.forged = `akd.${kioskA.slice(4)}.${"A".repeat(43)}`
  for (const [k, seq] of await lastSeqs()) before.set(k, seq)
}, 300_000)

afterAll(async () => {
  for (const agent of agents.values()) agent.destroy()
  await serve?.stop()
  await runtime?.dispose()
})

/** Which callers an operation admits, from its OpenAPI security; the others are tried too, less often. */
function callersOf(operation: Operation): fc.Arbitrary<Role> {
  const schemes = new Set((operation.security ?? []).flatMap((s) => Object.keys(s)))
  const admitted: Array<Role> = [
    ...(schemes.size === 0 ? ["anonymous" as const] : []),
    ...(schemes.has("userToken") ? ["admin", "operator", "auditor"] as const : []),
    ...(schemes.has("deviceToken") ? ["kiosk"] as const : []),
  ]
  const all: Array<Role> = ["anonymous", "forged", "admin", "operator", "auditor", "kiosk"]
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...admitted) }, { weight: 1, arbitrary: fc.constantFrom(...all) })
}

describe("the edge under a fuzz run of its whole OpenAPI", () => {
  it(`answers ${TOTAL} hostile requests with no 5xx, appends nothing for a refused one, and stays healthy`, async () => {
    const document = JSON.parse((await call("GET", "/docs/json")).body) as { paths: Record<string, Record<string, Operation>> }
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([method]) => /^(get|post|put|patch|delete)$/.test(method))
        .map(([method, operation]) => ({ label: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation })))
    // The static folders are not in the document, but '..' under them once answered 500.
    for (const folder of ["/console/", "/kiosk/", "/docs/static/"]) {
      operations.push({ label: `GET ${folder}*`, method: "GET", path: `${folder}{rest}`, operation: { parameters: [{ in: "path", name: "rest", schema: { type: "string" } }] } })
    }
    expect(operations.length).toBeGreaterThan(30)

    // Every operation gets its share, in an order shuffled by the seed.
    const perOperation = Math.ceil(TOTAL / operations.length)
    const work: Array<{ label: string; method: string; request: HostileRequest; role: Role; address: string }> = []
    operations.forEach(({ label, method, path, operation }, i) => {
      const staticPaths = path.endsWith("{rest}")
        ? fc.oneof(hostileString.map(percentEncode), fc.constantFrom("..%2f..%2fpackage.json", "%2e%2e/%2e%2e/etc/passwd", "index.html", "assets/..%5c..%5c.env", "%00", "../../package.json"))
        : undefined
      const arbitrary = fc.record({
        request: staticPaths === undefined ? hostileRequestFor(path, operation, ids)
          : staticPaths.map((rest): HostileRequest => ({ path: path.replace("{rest}", rest), query: [], headers: {} })),
        role: callersOf(operation),
        address: fc.constantFrom(...ADDRESSES),
      })
      for (const sample of fc.sample(arbitrary, { numRuns: perOperation, seed: SEED + i })) work.push({ label, method, ...sample })
    })
    const order = fc.sample(fc.shuffledSubarray(work.map((_, i) => i), { minLength: work.length, maxLength: work.length }), { numRuns: 1, seed: SEED })[0]!

    const counts = new Map<string, Record<string, number>>()
    const statusOf = new Map<string, number>()
    const failures: Array<string> = []
    const started = Date.now()
    let next = 0
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < order.length) {
        const n = next++
        const { label, method, request, role, address } = work[order[n]!]!
        const requestId = `fz${n}`
        const answer = await send(method, request, tokens[role], requestId, address)
        statusOf.set(requestId, answer.status)
        const row = counts.get(label) ?? { total: 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, none: 0 }
        const cls = answer.status === 0 ? "none" : `${Math.floor(answer.status / 100)}xx`
        row.total! += 1
        row[cls] = (row[cls] ?? 0) + 1
        counts.set(label, row)
        // A body over the edge's limit may be refused by closing the connection while it is still being sent
        // (413, then a reset): counted as no answer, but not a failure.
        const oversized = (request.body?.bytes.length ?? 0) > BODY_LIMIT_BYTES
        // The documented "ask again shortly" (503 not-ready with Retry-After: a forecast not fitted yet, a read model
        // behind min_seq) is counted in the table, not failed; any other 5xx fails the run.
        const notReady = answer.status === 503 && answer.headers["retry-after"] !== undefined && answer.body.includes("/problems/not-ready")
        if ((answer.status >= 500 && !notReady) || (answer.status === 0 && !oversized)) {
          failures.push(`${answer.status} ${method} ${request.path}?${request.query.map(([k, v]) => `${k}=${v}`).join("&").slice(0, 300)} as ${role}: ${answer.body.slice(0, 300)}`)
        }
      }
    }))
    const seconds = (Date.now() - started) / 1000

    // Every message appended during the run answers a request that was accepted.
    const appended: Array<string> = []
    const refusedButAppended: Array<string> = []
    for (const key of STREAMS) {
      for await (const commit of runtime.store.replay(key, { fromSeq: before.get(key)! + 1, untilEnd: true })) {
        const status = statusOf.get(commit.commit.correlationId)
        appended.push(`${key}#${commit.seq}`)
        if (status === undefined || status >= 300) {
          refusedButAppended.push(`${key}#${commit.seq} ${commit.recorded.map((e) => e.type).join(",")} by request ${commit.commit.correlationId} (${status ?? "not ours"})`)
        }
      }
    }

    const totals = { total: 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, none: 0 } as Record<string, number>
    for (const row of counts.values()) for (const [k, v] of Object.entries(row)) totals[k] = (totals[k] ?? 0) + v
    const table = [
      `fuzz run: seed ${SEED}, ${totals.total} requests in ${seconds.toFixed(1)} s (${(totals.total! / seconds).toFixed(0)}/s), concurrency ${CONCURRENCY}, ${appended.length} messages appended`,
      "| route | requests | 2xx | 3xx | 4xx | 5xx | no answer |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([label, r]) => `| ${label} | ${r.total} | ${r["2xx"]} | ${r["3xx"]} | ${r["4xx"]} | ${r["5xx"]} | ${r.none} |`),
      `| **all** | ${totals.total} | ${totals["2xx"]} | ${totals["3xx"]} | ${totals["4xx"]} | ${totals["5xx"]} | ${totals.none} |`,
    ].join("\n")
    await writeFile(join(workDir, "counts.md"), `${table}\n`)
    await writeFile(join(workDir, "counts.json"), JSON.stringify({ seed: SEED, seconds, totals, routes: Object.fromEntries(counts), appended: appended.length }, null, 2))
    console.info(`${table}\n(written to ${workDir}/counts.md and counts.json)`)

    expect(totals.total).toBeGreaterThanOrEqual(TOTAL)
    expect(failures, `seed ${SEED}`).toEqual([])
    expect(refusedButAppended, `seed ${SEED}`).toEqual([])
    // Every operation of the document (and every static folder) got its share of the run.
    expect([...counts].filter(([, r]) => (r.total ?? 0) < 10).map(([label]) => label)).toEqual([])

    // Healthy and still serving: the ops port's probes, and a valid request on the API port.
    expect((await serve.get("METRICS_PORT", "/healthz")).status).toBe(200)
    expect((await serve.until200("METRICS_PORT", "/readyz", 30_000)).status).toBe(200)
    expect((await call("GET", "/auth/me", { token: tokens.admin! })).status).toBe(200)
    expect(serve.process.exitCode).toBeNull()
  }, 900_000)
})
