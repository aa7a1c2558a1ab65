// The one table of the edge's routes for tests: who may call each (the contract, written independently of the
// code's route configs) and how to build a valid request for it. The authorization matrix and the bad-input suite
// are both generated from it; a route the app has and this table lacks fails both.
import { randomUUID } from "node:crypto"
import { Effect } from "effect"
import { EventStore, notificationDecider, systemActor } from "../../src/commands/index.ts"
import type { Access, Caller } from "../../src/edge/index.ts"
import { newId } from "../../src/platform/index.ts"
import { type EdgeSystem, PASSWORD, type Session } from "./edge.ts"

export interface Kiosk {
  readonly id: string
  readonly code: string
  readonly deviceToken: string
}

/** What the table's requests act on: made once per test file by `buildWorld`. */
export interface World {
  readonly sys: EdgeSystem
  readonly admin: Session
  readonly operator: Session
  readonly auditor: Session
  /** Assigned to `operator`. */
  readonly kioskA: Kiosk
  /** Unassigned; its token is "another kiosk's device token" for A's routes. */
  readonly kioskB: Kiosk
  /** Recorded by kiosk A, large enough to refund 1 unit many times. */
  readonly paymentA: { readonly id: string; readonly seq: number }
  /** The USERS/KIOSKS/PAYMENTS sequences the read models must reach before reads are checked. */
  readonly seqs: { readonly kiosks: number; readonly payments: number; readonly users: number }
}

export interface Request {
  readonly url: string
  readonly payload?: unknown
  readonly headers?: Record<string, string>
}

export interface RouteCase {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** The route template, as Fastify and the OpenAPI document name it (":id"). */
  readonly route: string
  readonly access: Access
  /** The status of an admitted, valid request. */
  readonly ok: number
  /** A valid request; called for every cell, so it may make fresh state (a user to deactivate, a kiosk to pair). */
  request(world: World): Promise<Request>
}

const freshUser = async (world: World) => {
  const username = `victim-${newId("u").slice(-10)}`
  const response = await world.sys.app.inject({ method: "POST", url: "/auth/register", payload: { username, password: PASSWORD } })
  return (response.json() as Session).user
}

/** A UTC day relative to today: list bounds must lie between 2000-01-01 and a day from now. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)

const freshSession = async (world: World) => world.sys.login(world.admin.user.username)

/**
 * A notification that failed for good, made the way the notifier makes one: a test email requested over HTTP,
 * then an attempt started and given up through the notification decider on the real event store.
 */
async function failedNotification(world: World): Promise<string> {
  const requested = await world.sys.app.inject({
    method: "POST", url: "/notify/test-email", headers: world.sys.bearer(world.admin.token), payload: { to: "ops@example.com" },
  })
  const { notificationId } = requested.json() as { notificationId: string }
  const context = { actor: systemActor("notifier"), correlationId: `test-${notificationId}` }
  const now = new Date().toISOString()
  await world.sys.app.run(Effect.gen(function* () {
    const store = yield* EventStore
    const target = { stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) }
    yield* store.handle(notificationDecider, target, { type: "StartAttempt", provider: "smtp", worker: "test", now, leaseMs: 60_000 }, context)
    yield* store.handle(notificationDecider, target, {
      type: "RecordFailure", attempt: 1, outcome: "give-up", reason: "550 mailbox unavailable", now,
      policy: { maxAttempts: 1, backoffBaseMs: 1_000, backoffMaxMs: 1_000 },
    }, context)
  }))
  return notificationId
}

export const ROUTES: ReadonlyArray<RouteCase> = [
  { method: "POST", route: "/auth/register", access: "public", ok: 201,
    request: async () => ({ url: "/auth/register", payload: { username: `new-${newId("u").slice(-10)}`, password: PASSWORD } }) },
  { method: "POST", route: "/auth/login", access: "public", ok: 200,
    request: async (w) => ({ url: "/auth/login", payload: { username: w.auditor.user.username, password: PASSWORD } }) },
  { method: "POST", route: "/auth/refresh", access: "public", ok: 200,
    request: async (w) => ({ url: "/auth/refresh", payload: { refreshToken: (await freshSession(w)).refreshToken } }) },
  { method: "POST", route: "/auth/logout", access: "public", ok: 204,
    request: async (w) => ({ url: "/auth/logout", payload: { refreshToken: (await freshSession(w)).refreshToken } }) },
  { method: "GET", route: "/auth/me", access: ["admin", "operator", "auditor"], ok: 200,
    request: async () => ({ url: "/auth/me" }) },
  { method: "PATCH", route: "/auth/me", access: ["admin", "operator", "auditor"], ok: 200,
    request: async () => ({ url: "/auth/me", payload: { contact: { language: "en" } } }) },
  // A real change would end the table's own sessions (every session of the account ends): a wrong current password
  // shows who is admitted to the check (users.int.test.ts changes passwords for each role).
  { method: "POST", route: "/auth/me/password", access: ["admin", "operator", "auditor"], ok: 422,
    request: async () => ({ url: "/auth/me/password", payload: { current_password: "not the password", new_password: "kettle lantern orbit 42" } }) },
  { method: "POST", route: "/auth/users", access: ["admin"], ok: 201,
    request: async () => ({ url: "/auth/users", payload: { username: `added-${newId("u").slice(-10)}`, role: "auditor", password: PASSWORD } }) },
  { method: "POST", route: "/auth/users/:id/password", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/auth/users/${(await freshUser(w)).id}/password`, payload: { password: "kettle lantern orbit 42" } }) },
  { method: "GET", route: "/auth/users", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/auth/users?min_seq=${w.seqs.users}&limit=5` }) },
  { method: "PATCH", route: "/auth/users/:id", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/auth/users/${(await freshUser(w)).id}`, payload: { contact: { displayName: "Renamed" } } }) },
  { method: "DELETE", route: "/auth/users/:id", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/auth/users/${(await freshUser(w)).id}` }) },

  { method: "POST", route: "/kiosks", access: ["admin"], ok: 201,
    request: async () => ({ url: "/kiosks", payload: { name: "Lobby", location: "Hall 1" } }) },
  { method: "GET", route: "/kiosks", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/kiosks?min_seq=${w.seqs.kiosks}&sort=-name&limit=10` }) },
  { method: "GET", route: "/kiosks/summary", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/kiosks/summary?min_seq=${w.seqs.kiosks}` }) },
  { method: "GET", route: "/kiosks/:id", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${w.kioskA.id}?min_seq=${w.seqs.kiosks}` }) },
  { method: "PATCH", route: "/kiosks/:id", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${w.kioskA.id}`, payload: { name: `Kiosk A ${newId("n").slice(-4)}` } }) },
  { method: "POST", route: "/kiosks/assign", access: ["operator", "admin"], ok: 200,
    request: async (w) => ({ url: "/kiosks/assign", payload: { code: await w.sys.pairingCode(w.admin, (await w.sys.registerKiosk(w.admin)).kiosk.id) } }) },
  { method: "POST", route: "/kiosks/:id/unassign", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${w.kioskB.id}/unassign` }) },
  { method: "POST", route: "/kiosks/:id/credentials", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${(await w.sys.registerKiosk(w.admin)).kiosk.id}/credentials` }) },
  { method: "POST", route: "/kiosks/:id/heartbeat", access: ["kiosk"], ok: 202,
    request: async (w) => ({ url: `/kiosks/${w.kioskA.id}/heartbeat`, payload: { appVersion: "1.2.3", status: { paper: "ok" } } }) },
  { method: "GET", route: "/kiosks/:id/uptime", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${w.kioskA.id}/uptime?from=${daysAgo(30)}&to=${daysAgo(0)}` }) },
  { method: "GET", route: "/kiosks/:id/qr", access: ["admin", "kiosk"], ok: 200,
    request: async (w) => ({ url: `/kiosks/${w.kioskA.id}/qr` }) },

  { method: "POST", route: "/payments", access: ["kiosk", "admin"], ok: 201,
    request: async (w) => ({
      url: "/payments",
      payload: { kiosk_id: w.kioskA.id, amount: 1250, currency: "EUR" },
      headers: { "idempotency-key": randomUUID() },
    }) },
  { method: "GET", route: "/payments", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/payments?min_seq=${w.seqs.payments}&kiosk_id=${w.kioskA.id}&limit=3` }) },
  { method: "GET", route: "/payments/totals", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/payments/totals?min_seq=${w.seqs.payments}&kiosk_id=${w.kioskA.code}&from=${daysAgo(7)}` }) },
  { method: "GET", route: "/payments/export.csv", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/payments/export.csv?min_seq=${w.seqs.payments}&kiosk_id=${w.kioskA.id}&q=Kiosk` }) },
  // The operator holds kiosk A, which took payment A: each role may read it.
  { method: "GET", route: "/payments/:id", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/payments/${w.paymentA.id}?min_seq=${w.seqs.payments}` }) },
  { method: "POST", route: "/payments/:id/refund", access: ["admin"], ok: 200,
    request: async (w) => ({ url: `/payments/${w.paymentA.id}/refund`, payload: { amount: 1, reason: "matrix" }, headers: { "idempotency-key": randomUUID() } }) },

  { method: "GET", route: "/sales/daily", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/sales/daily?from=${daysAgo(30)}&to=${daysAgo(0)}&kiosk_id=${w.kioskA.id}&min_seq=${w.seqs.payments}` }) },

  // Kiosk A's one payment is today's: no complete day of history yet, so an admitted request gets the honest 422.
  { method: "GET", route: "/ai/predict", access: ["admin", "operator", "auditor"], ok: 422,
    request: async (w) => ({ url: `/ai/predict?kiosk_id=${w.kioskA.id}&horizon=30&min_seq=${w.seqs.kiosks}` }) },
  { method: "GET", route: "/ai/recommendations", access: ["admin", "operator", "auditor"], ok: 200,
    request: async (w) => ({ url: `/ai/recommendations?kiosk_id=${w.kioskA.id}&limit=10&min_seq=${w.seqs.kiosks}` }) },

  { method: "GET", route: "/audit/payments", access: ["admin", "auditor"], ok: 200,
    request: async (w) => ({ url: `/audit/payments?kiosk_id=${w.kioskA.id}&to_seq=${w.seqs.payments}` }) },
  { method: "GET", route: "/audit/status", access: ["admin", "auditor"], ok: 200,
    request: async () => ({ url: "/audit/status" }) },
  { method: "GET", route: "/audit/balances", access: ["admin", "auditor"], ok: 200,
    request: async (w) => ({ url: `/audit/balances?as_of=${w.seqs.payments}&kiosk_id=${w.kioskA.code}` }) },
  { method: "GET", route: "/audit/reconciliation", access: ["admin", "auditor"], ok: 200,
    request: async (w) => ({ url: `/audit/reconciliation?from=${daysAgo(7)}&kiosk_id=${w.kioskA.id}` }) },

  { method: "POST", route: "/notify/test-email", access: ["admin"], ok: 202,
    request: async () => ({ url: "/notify/test-email", payload: { to: "ops@example.com", language: "es" }, headers: { "idempotency-key": randomUUID() } }) },
  { method: "GET", route: "/notify/messages", access: ["admin"], ok: 200,
    request: async () => ({ url: "/notify/messages?status=failed&limit=5" }) },
  { method: "POST", route: "/notify/messages/:id/retry", access: ["admin"], ok: 202,
    request: async (w) => ({ url: `/notify/messages/${await failedNotification(w)}/retry` }) },

  { method: "GET", route: "/healthz", access: "public", ok: 200, request: async () => ({ url: "/healthz" }) },
  { method: "GET", route: "/readyz", access: "public", ok: 200, request: async () => ({ url: "/readyz" }) },
  { method: "GET", route: "/docs", access: "public", ok: 200, request: async () => ({ url: "/docs" }) },
  { method: "GET", route: "/docs/json", access: "public", ok: 200, request: async () => ({ url: "/docs/json" }) },
]

/** swagger-ui's own asset routes: public by construction (docs.ts), not part of the API. */
export const isDocsAsset = (route: string) => route.startsWith("/docs/") && route !== "/docs/json"

/**
 * Routes that are not JSON API: swagger-ui's assets, the WebSocket (its own protocol, tested in src/edge/live/),
 * and the console's pages and files.
 */
export const isOutsideApi = (route: string) =>
  isDocsAsset(route) || route === "/ws" || route === "/" || route === "/console" || route.startsWith("/console/") ||
  route === "/kiosk" || route.startsWith("/kiosk/")

/** The callers the matrix tries: each role, each kind of broken token, and the wrong kiosk. */
export const PRINCIPALS = ["none", "expired", "tampered", "alg-none", "admin", "operator", "auditor", "kiosk", "other-kiosk"] as const
export type PrincipalName = (typeof PRINCIPALS)[number]

/** The status the contract promises for one cell. */
export function expectedStatus(route: RouteCase, who: PrincipalName): number {
  if (route.access === "public") return route.ok
  if (who === "none" || who === "expired" || who === "tampered" || who === "alg-none") return 401
  // Another kiosk's token is a valid credential, but for kiosk A's resources: never admitted.
  if (who === "other-kiosk") return 403
  return route.access.includes(who as Caller) ? route.ok : 403
}

/** Sets up the world the table's requests act on. */
export async function buildWorld(sys: EdgeSystem): Promise<World> {
  const admin = await sys.userWithRole("admin")
  const operator = await sys.userWithRole("operator")
  const auditor = await sys.userWithRole("auditor")
  const a = await sys.registerKiosk(admin, "Kiosk A")
  const b = await sys.registerKiosk(admin, "Kiosk B")
  const assigned = await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(operator.token), payload: { code: await sys.pairingCode(admin, a.kiosk.id) } })
  if (assigned.statusCode !== 200) throw new Error(`assign: ${assigned.body}`)
  const paid = await sys.app.inject({
    method: "POST", url: "/payments", headers: { ...sys.bearer(a.deviceToken), "idempotency-key": randomUUID() },
    payload: { kiosk_id: a.kiosk.id, amount: 99_000_000, currency: "EUR" },
  })
  if (paid.statusCode !== 201) throw new Error(`payment: ${paid.body}`)
  const payment = paid.json() as { payment: { id: string }; seq: number }
  return {
    sys, admin, operator, auditor,
    kioskA: { id: a.kiosk.id, code: a.kiosk.code, deviceToken: a.deviceToken },
    kioskB: { id: b.kiosk.id, code: b.kiosk.code, deviceToken: b.deviceToken },
    paymentA: { id: payment.payment.id, seq: payment.seq },
    seqs: { kiosks: (assigned.json() as { seq: number }).seq, payments: payment.seq, users: 1 },
  }
}
