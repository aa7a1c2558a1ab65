// End to end over a real port, with the real CLI in real processes: the first admin by `users create`, the whole
// system by `serve`, then the story of one payment — admin registers a kiosk, an operator signs up and pairs it by
// its code, the kiosk pays with its device token, the operator sees the payment (min_seq) — and a graceful stop.
import { type ChildProcess, spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { createServer } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CLI, runCli } from "./support/cli.ts"
import { pairingCodeInLabel } from "./support/pairingLabel.ts"
import { testEnv } from "./support/settings.ts"

const ADMIN_PASSWORD = "e2e admin password"
const OPERATOR_PASSWORD = "e2e operator password"
const NEW_ADMIN_PASSWORD = "kettle lantern orbit 42"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on("error", reject)
  })

let env: Record<string, string>
let base: string
let server: ChildProcess
let serverLog = ""

async function waitUntilUp(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`serve exited with ${server.exitCode}:\n${serverLog}`)
    const ok = await fetch(url).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`serve did not answer ${url} within ${timeoutMs} ms:\n${serverLog}`)
}

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
}

beforeAll(async () => {
  const port = await freePort()
  env = testEnv({ PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" })
  base = `http://127.0.0.1:${port}`
})

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGKILL")
    await new Promise((r) => server.once("close", r))
  }
})

describe("one payment, end to end, over a real port", () => {
  it("first admin by CLI → serve → register kiosk → operator pairs it → kiosk pays → operator lists it", async () => {
    const created = await runCli(["users", "create", "--username", "root", "--password-stdin", "--role", "admin"], env, `${ADMIN_PASSWORD}\n`)
    expect(created.code, created.stderr).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ username: "root", role: "admin" })

    server = spawn(process.execPath, [CLI, "serve"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    server.stdout!.on("data", (d: Buffer) => { serverLog += d })
    server.stderr!.on("data", (d: Buffer) => { serverLog += d })
    await waitUntilUp(`${base}/readyz`)

    const adminLogin = await call("POST", "/auth/login", { body: { username: "root", password: ADMIN_PASSWORD } })
    expect(adminLogin.status).toBe(200)
    const admin = adminLogin.body.token as string

    const registered = await call("POST", "/kiosks", { token: admin, body: { name: "Station Lobby", location: "Main hall" } })
    expect(registered.status).toBe(201)
    const { kiosk, deviceToken } = registered.body as { kiosk: { id: string; code: string }; deviceToken: string }
    expect(deviceToken).toMatch(/^akd\./)

    const signUp = await call("POST", "/auth/register", { body: { username: "olivia", password: OPERATOR_PASSWORD } })
    expect(signUp.status).toBe(201)
    expect(signUp.body.user.role).toBe("operator")
    const operatorLogin = await call("POST", "/auth/login", { body: { username: "olivia", password: OPERATOR_PASSWORD } })
    expect(operatorLogin.status).toBe(200)
    const operator = operatorLogin.body.token as string

    const label = await fetch(`${base}/kiosks/${kiosk.id}/qr`, { headers: { authorization: `Bearer ${admin}` } })
    expect(label.status).toBe(200)
    const paired = await call("POST", "/kiosks/assign", { token: operator, body: { code: pairingCodeInLabel(await label.text()) } })
    expect(paired.status).toBe(200)
    expect(paired.body.kiosk.operatorId).toBe(operatorLogin.body.user.id)

    const key = randomUUID()
    const sale = { kiosk_id: kiosk.id, amount: 1250, currency: "EUR" }
    const paid = await call("POST", "/payments", { token: deviceToken, body: sale, headers: { "idempotency-key": key } })
    expect(paid.status).toBe(201)
    expect(paid.body.payment).toMatchObject({ kioskId: kiosk.id, amount: 1250, currency: "EUR", operatorId: operatorLogin.body.user.id })
    // The kiosk's retry after a lost answer: the same payment, not a second one.
    const retried = await call("POST", "/payments", { token: deviceToken, body: sale, headers: { "idempotency-key": key } })
    expect(retried.status).toBe(200)
    expect(retried.headers.get("idempotent-replayed")).toBe("true")
    expect(retried.body).toEqual(paid.body)

    const listed = await call("GET", `/payments?min_seq=${paid.body.seq}`, { token: operator })
    expect(listed.status).toBe(200)
    expect(listed.body.items).toHaveLength(1)
    expect(listed.body.items[0]).toMatchObject({ id: paid.body.payment.id, kioskId: kiosk.id, amount: 1250, currency: "EUR", status: "captured" })

    // The operator's kiosk list shows it too; the request id comes back as sent.
    const kiosks = await fetch(`${base}/kiosks`, { headers: { authorization: `Bearer ${operator}`, "x-request-id": "e2e-check-1" } })
    expect(kiosks.headers.get("x-request-id")).toBe("e2e-check-1")
    expect(((await kiosks.json()) as { items: Array<{ id: string }> }).items.map((k) => k.id)).toEqual([kiosk.id])
  })

  it("lets an admin who forgot the password back in by `users reset-password`, ending the old sessions", async () => {
    const before = await call("POST", "/auth/login", { body: { username: "root", password: ADMIN_PASSWORD } })
    expect(before.status).toBe(200)
    const reset = await runCli(["users", "reset-password", "--username", "root", "--password-stdin"], env, `${NEW_ADMIN_PASSWORD}\n`)
    expect(reset.code, reset.stderr).toBe(0)
    expect(JSON.parse(reset.stdout)).toMatchObject({ username: "root", sessionsEnded: true })
    expect((await call("POST", "/auth/login", { body: { username: "root", password: ADMIN_PASSWORD } })).status).toBe(401)
    expect((await call("POST", "/auth/login", { body: { username: "root", password: NEW_ADMIN_PASSWORD } })).status).toBe(200)
    expect((await call("POST", "/auth/refresh", { body: { refreshToken: before.body.refreshToken } })).status).toBe(401)
    expect((await call("GET", "/auth/me", { token: before.body.token })).status).toBe(401)
    const unknown = await runCli(["users", "reset-password", "--username", "nobody", "--password-stdin"], env, `${NEW_ADMIN_PASSWORD}\n`)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no user "nobody"/)
  })

  it("stops gracefully on SIGTERM", async () => {
    const started = Date.now()
    const exited = new Promise<number | null>((resolve) => server.once("close", (code) => resolve(code)))
    server.kill("SIGTERM")
    expect(await exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(serverLog).not.toMatch(/did not stop cleanly/)
    await expect(fetch(`${base}/healthz`)).rejects.toThrow()
  })
})
