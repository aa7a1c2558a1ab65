// The client against a real local HTTP server: token renewal, problem details, and the way back to login.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { createApiClient, type TokenStore } from "./client.ts"
import { ApiError, NetworkError } from "./problem.ts"

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
let server: Server
let baseUrl: string
let handler: Handler

beforeEach(async () => {
  server = createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => { body += chunk })
    req.on("end", () => handler(req, body, res))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())))

const send = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
  res.writeHead(status, { "content-type": type })
  res.end(typeof body === "string" ? body : JSON.stringify(body))
}
const problem = (res: ServerResponse, status: number, title: string, detail: string) =>
  send(res, status, { type: `https://admin-kiosk.dev/problems/${status}`, title, status, detail }, "application/problem+json")

function memoryTokens(token: string | null, refreshToken: string | null): TokenStore & { cleared: number } {
  const store = {
    cleared: 0,
    accessToken: () => token,
    refreshToken: () => refreshToken,
    save(session: { token: string; refreshToken?: string | undefined }) {
      token = session.token
      if (session.refreshToken) refreshToken = session.refreshToken
    },
    clear() { token = null; refreshToken = null; store.cleared += 1 },
  }
  return store
}

const user = { id: "usr_00000001", username: "ana", role: "operator", active: true, contact: null }

describe("api client", () => {
  it("renews an expired access token once for many concurrent requests, then retries them", async () => {
    let refreshes = 0
    const seenRefreshTokens: string[] = []
    handler = (req, body, res) => {
      if (req.url === "/auth/refresh") {
        refreshes += 1
        seenRefreshTokens.push(JSON.parse(body).refreshToken)
        // Slow enough that every request's 401 arrives while this refresh is still out.
        setTimeout(() => send(res, 200, { token: "fresh", refreshToken: "rt-2", user }), 50)
        return
      }
      if (req.headers.authorization !== "Bearer fresh") return problem(res, 401, "Unauthorized", "token expired")
      send(res, 200, { id: req.url!.split("/")[2], code: "KIOSK-1", name: "Lobby" })
    }
    const tokens = memoryTokens("stale", "rt-1")
    let expired = 0
    const api = createApiClient({ baseUrl, tokens, onSessionExpired: () => { expired += 1 } })

    const kiosks = await Promise.all(["k1", "k2", "k3", "k4", "k5"].map((id) => api.kiosks.get(id)))

    expect(kiosks.map((k) => k.id)).toEqual(["k1", "k2", "k3", "k4", "k5"])
    expect(refreshes).toBe(1)
    expect(seenRefreshTokens).toEqual(["rt-1"])
    expect(tokens.accessToken()).toBe("fresh")
    expect(tokens.refreshToken()).toBe("rt-2")
    expect(expired).toBe(0)
  })

  it("turns problem+json into an ApiError with status, type and detail", async () => {
    handler = (_req, _body, res) => problem(res, 409, "Conflict", "kiosk KIOSK-7F3A is assigned to someone else")
    const api = createApiClient({ baseUrl, tokens: memoryTokens("t", "r"), onSessionExpired: () => {} })

    const error = await api.kiosks.assign("KIOSK-7F3A").catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(409)
    expect((error as ApiError).problem.type).toBe("https://admin-kiosk.dev/problems/409")
    expect((error as ApiError).message).toBe("kiosk KIOSK-7F3A is assigned to someone else")
  })

  it("makes a problem out of an error that is not problem+json", async () => {
    handler = (_req, _body, res) => send(res, 502, "Bad Gateway", "text/plain")
    const api = createApiClient({ baseUrl, tokens: memoryTokens("t", "r"), onSessionExpired: () => {} })

    const error = await api.kiosks.summary().catch((e: unknown) => e) as ApiError

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(502)
    expect(error.problem.detail).toBe("Bad Gateway")
  })

  it("sends the user to login once the refresh token is refused, and forgets the session", async () => {
    let refreshes = 0
    handler = (req, _body, res) => {
      if (req.url === "/auth/refresh") { refreshes += 1; return problem(res, 401, "Unauthorized", "the refresh token is not valid") }
      problem(res, 401, "Unauthorized", "token expired")
    }
    const tokens = memoryTokens("stale", "rt-revoked")
    let expired = 0
    const api = createApiClient({ baseUrl, tokens, onSessionExpired: () => { expired += 1 } })

    const results = await Promise.allSettled([api.payments.list(), api.kiosks.list()])

    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"])
    expect(refreshes).toBe(1)
    expect(expired).toBeGreaterThanOrEqual(1)
    expect(tokens.accessToken()).toBeNull()
    expect(tokens.refreshToken()).toBeNull()
  })

  it("keeps the session when the edge cannot be reached, and says so with a NetworkError", async () => {
    const tokens = memoryTokens(null, "rt-1")
    let expired = 0
    await new Promise<void>((resolve) => server.close(() => resolve()))
    server = createServer()
    const api = createApiClient({ baseUrl, tokens, onSessionExpired: () => { expired += 1 } })

    await expect(api.refreshSession()).rejects.toBeInstanceOf(NetworkError)
    expect(expired).toBe(0)
    expect(tokens.refreshToken()).toBe("rt-1")
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  })

  it("builds paths and query strings from the endpoint table, leaving out empty filters", async () => {
    const seen: string[] = []
    handler = (req, _body, res) => { seen.push(`${req.method} ${req.url} ${req.headers["idempotency-key"] ?? ""}`.trim()); send(res, 200, { items: [], next_cursor: null }) }
    const api = createApiClient({ baseUrl, tokens: memoryTokens("t", "r"), onSessionExpired: () => {} })

    await api.payments.list({ kiosk_id: "kio_1 2", from: "2026-11-01", to: "", status: undefined, limit: 50 })
    await api.payments.refund("pay/1", { amount: 250, reason: "wrong item" }, "key-1")

    expect(seen).toEqual(["GET /payments?kiosk_id=kio_1+2&from=2026-11-01&limit=50", "POST /payments/pay%2F1/refund key-1"])
  })
})
