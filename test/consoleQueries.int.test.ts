// What the console's dashboard and lists ask of the edge beyond plain paging: the kiosk summary, daily sales over a
// range, the location / unassigned / status / provider filters, operator names, the `seq` a page reflects, and a
// kiosk's uptime from its offline periods.
import { randomUUID } from "node:crypto"
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { EventStore, markKioskOffline, markKioskOnline, notificationDecider, systemActor } from "../src/commands/index.ts"
import { newId } from "../src/platform/index.ts"
import { type EdgeSystem, type Session, startEdgeSystem } from "./support/edge.ts"
import { endpoints } from "../ui/src/api/endpoints.ts"
import { missingEndpoints } from "../ui/src/api/openapi.ts"

let sys: EdgeSystem
let admin: Session
let operator: Session
let mine: { kiosk: { id: string; code: string }; deviceToken: string }
let spare: { kiosk: { id: string; code: string }; deviceToken: string }
let paySeq = 0
let refundedPaymentId = ""

const get = async (path: string, session: Session) => {
  const response = await sys.app.inject({ method: "GET", url: path, headers: sys.bearer(session.token) })
  return { status: response.statusCode, body: response.json() }
}
const pay = async (kiosk: typeof mine, amount: number, currency: string, occurredAt: string) => {
  const response = await sys.app.inject({
    method: "POST", url: "/payments", headers: { ...sys.bearer(kiosk.deviceToken), "idempotency-key": randomUUID() },
    payload: { kiosk_id: kiosk.kiosk.id, amount, currency, occurred_at: occurredAt },
  })
  expect(response.statusCode, response.body).toBe(201)
  const body = response.json() as { payment: { id: string }; seq: number }
  paySeq = Math.max(paySeq, body.seq)
  return body
}

beforeAll(async () => {
  // The sales below are dated in March 2026: forwarded late, so the window must reach back that far.
  sys = await startEdgeSystem({ env: { KIOSK_FORWARD_WINDOW_DAYS: "3650" } })
  admin = await sys.userWithRole("admin")
  operator = await sys.userWithRole("operator")
  mine = await sys.registerKiosk(admin, "Mine")
  spare = await sys.registerKiosk(admin, "Spare")
  const renamed = await sys.app.inject({ method: "PATCH", url: `/kiosks/${spare.kiosk.id}`, headers: sys.bearer(admin.token), payload: { location: "Annex West" } })
  expect(renamed.statusCode).toBe(200)
  const assigned = await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(operator.token), payload: { code: await sys.pairingCode(admin, mine.kiosk.id) } })
  expect(assigned.statusCode).toBe(200)
  const heartbeat = await sys.app.inject({ method: "POST", url: `/kiosks/${mine.kiosk.id}/heartbeat`, headers: sys.bearer(mine.deviceToken), payload: {} })
  expect(heartbeat.statusCode).toBe(202)
  await pay(mine, 1000, "EUR", "2026-03-01T10:00:00Z")
  await pay(spare, 250, "EUR", "2026-03-01T23:59:59Z")
  await pay(spare, 700, "USD", "2026-03-01T12:00:00Z")
  const refunded = await pay(mine, 500, "EUR", "2026-03-02T08:00:00Z")
  refundedPaymentId = refunded.payment.id
  const refund = await sys.app.inject({ method: "POST", url: `/payments/${refunded.payment.id}/refund`, headers: sys.bearer(admin.token), payload: { amount: 200 } })
  expect(refund.statusCode, refund.body).toBe(200)
  paySeq = Math.max(paySeq, (refund.json() as { seq: number }).seq)
})
afterAll(async () => { await sys?.close() })

it("daily sales: per UTC day and currency, summed over kiosks, operators only theirs, range bounded", async () => {
  const all = await get(`/sales/daily?from=2026-03-01&to=2026-03-02&min_seq=${paySeq}`, admin)
  expect(all.status).toBe(200)
  const today = new Date().toISOString().slice(0, 10)
  // The refund is booked on the day it was recorded (today), not on the payment's day.
  const inRange = all.body.items.filter((r: { date: string }) => r.date !== today)
  expect(inRange).toEqual([
    { date: "2026-03-01", currency: "EUR", gross: 1250, refunds: 0, net: 1250, count: 2 },
    { date: "2026-03-01", currency: "USD", gross: 700, refunds: 0, net: 700, count: 1 },
    { date: "2026-03-02", currency: "EUR", gross: 500, refunds: 0, net: 500, count: 1 },
  ])
  const theirs = await get(`/sales/daily?from=2026-03-01&to=2026-03-01&min_seq=${paySeq}`, operator)
  expect(theirs.body.items).toEqual([{ date: "2026-03-01", currency: "EUR", gross: 1000, refunds: 0, net: 1000, count: 1 }])
  const oneKiosk = await get(`/sales/daily?from=2026-03-01&to=2026-03-01&kiosk_id=${spare.kiosk.id}`, admin)
  expect(oneKiosk.body.items.map((r: { currency: string; net: number }) => [r.currency, r.net])).toEqual([["EUR", 250], ["USD", 700]])
  // Another operator's kiosk named explicitly: nothing, not an error that confirms it exists.
  expect((await get(`/sales/daily?from=2026-03-01&to=2026-03-01&kiosk_id=${spare.kiosk.id}`, operator)).body.items).toEqual([])

  // 2025-01-01 … 2026-02-04 is 400 days, both included: the longest range allowed.
  expect((await get("/sales/daily?from=2025-01-01&to=2026-02-04", admin)).status).toBe(200)
  expect((await get("/sales/daily?from=2025-01-01&to=2026-02-05", admin)).body).toMatchObject({ status: 400, errors: [{ in: "querystring" }] })
  expect((await get("/sales/daily?from=2026-03-02&to=2026-03-01", admin)).status).toBe(400)
  expect((await get("/sales/daily?from=2026-03-01", admin)).status).toBe(400)
  // Days that do not exist, or that Postgres or the business would not take: a 400 naming the parameter.
  for (const from of ["2026-02-30", "0000-01-01", "1969-12-31"]) {
    expect((await get(`/sales/daily?from=${from}&to=2026-03-01`, admin)).body, from).toMatchObject({ status: 400, errors: [{ path: "/from" }] })
  }
})

it("kiosk summary: in service, online, offline, not judged yet (as the list's status filter counts them) — an operator counts only theirs", async () => {
  // A heartbeat alone does not make a kiosk "online": the offline detector's KioskCameOnline does. Until then it
  // is neither online nor offline.
  const fleet = await get("/kiosks/summary", admin)
  expect(fleet.body).toEqual({ total: 2, online: 0, offline: 0, unknown: 2 })
  expect((await get("/kiosks/summary", operator)).body).toEqual({ total: 1, online: 0, offline: 0, unknown: 1 })
})

it("kiosk list: location and unassigned filters, operator names, and the KIOSKS position it reflects", async () => {
  const annex = await get("/kiosks?location=annex", admin)
  expect(annex.body.items.map((k: { id: string }) => k.id)).toEqual([spare.kiosk.id])
  const unassigned = await get("/kiosks?operator_id=none", admin)
  expect(unassigned.body.items.map((k: { id: string }) => k.id)).toEqual([spare.kiosk.id])
  const all = await get("/kiosks", admin)
  const row = all.body.items.find((k: { id: string }) => k.id === mine.kiosk.id)
  expect(row).toMatchObject({ operatorId: operator.user.id, operatorName: operator.user.username, lastSeenAt: expect.any(String) })
  expect(all.body.seq).toBeGreaterThanOrEqual(4)
  expect((await get("/kiosks?operator_id=someone", admin)).status).toBe(400)
})

it("payment list: status filter, and the PAYMENTS position it reflects", async () => {
  const page = await get(`/payments?min_seq=${paySeq}`, admin)
  expect(page.body.seq).toBeGreaterThanOrEqual(paySeq)
  const partly = await get("/payments?status=partially_refunded", admin)
  expect(partly.body.items.map((p: { amount: number; status: string }) => [p.amount, p.status])).toEqual([[500, "partially_refunded"]])
  expect((await get("/payments?status=captured", admin)).body.items).toHaveLength(3)
  expect((await get("/payments?status=refunded", admin)).body.items).toHaveLength(0)
  expect((await get("/payments?status=void", admin)).status).toBe(400)
})

it("notification log: provider filter", async () => {
  const requested = await sys.app.inject({ method: "POST", url: "/notify/test-email", headers: sys.bearer(admin.token), payload: { to: "ops@example.com" } })
  expect(requested.statusCode).toBe(202)
  expect((await get("/notify/messages?provider=smtp", admin)).body.items).toEqual([])
  expect((await get("/notify/messages?provider=Not%20A%20Provider", admin)).status).toBe(400)
})

it("kiosk uptime: offline periods since registration, one still open, an operator only theirs, range bounded", async () => {
  const context = () => ({ actor: systemActor("test"), correlationId: newId("cor") })
  const registeredAt = (await get(`/kiosks/${spare.kiosk.id}`, admin)).body.registeredAt as string
  await sys.app.run(markKioskOffline(spare.kiosk.id, registeredAt, context()))
  const backAt = new Date().toISOString()
  await sys.app.run(markKioskOnline(spare.kiosk.id, backAt, context()))
  const again = new Date().toISOString()
  const { seq } = await sys.app.run(markKioskOffline(spare.kiosk.id, again, context()))
  const today = again.slice(0, 10)
  const from = new Date(Date.parse(again) - 86_400_000).toISOString().slice(0, 10)

  const uptime = await get(`/kiosks/${spare.kiosk.id}/uptime?from=${from}&to=${today}&min_seq=${seq}`, admin)
  expect(uptime.status, JSON.stringify(uptime.body)).toBe(200)
  // The range starts at the registration, not at the day's midnight, and ends now.
  expect(uptime.body.from).toBe(registeredAt)
  expect(Date.parse(uptime.body.to)).toBeGreaterThanOrEqual(Date.parse(again))
  expect(uptime.body.periods.map((p: { offlineFrom: string; backAt: string | null }) => [p.offlineFrom, p.backAt])).toEqual([
    [registeredAt, backAt],
    [again, null],
  ])
  const window = Date.parse(uptime.body.to) - Date.parse(registeredAt)
  const offline = (Date.parse(backAt) - Date.parse(registeredAt)) + (Date.parse(uptime.body.to) - Date.parse(again))
  expect(uptime.body.offlineSeconds).toBe(Math.round(offline / 1000))
  expect(uptime.body.online).toBeCloseTo(1 - offline / window, 6)

  // Before the kiosk existed: an empty range, no ratio.
  expect((await get(`/kiosks/${spare.kiosk.id}/uptime?from=2026-01-01&to=2026-01-02`, admin)).body).toMatchObject({ online: null, periods: [], offlineSeconds: 0 })
  // The spare kiosk is not the operator's: a 404, as for the kiosk itself; theirs answers.
  expect((await get(`/kiosks/${spare.kiosk.id}/uptime?from=${from}&to=${today}`, operator)).status).toBe(404)
  expect((await get(`/kiosks/${mine.kiosk.id}/uptime?from=${from}&to=${today}`, operator)).body).toMatchObject({ online: 1, periods: [] })
  expect((await get(`/kiosks/${spare.kiosk.id}/uptime?from=${today}&to=${from}`, admin)).status).toBe(400)
  expect((await get(`/kiosks/${spare.kiosk.id}/uptime?from=2025-01-01&to=2026-02-05`, admin)).status).toBe(400)
  expect((await get(`/kiosks/${spare.kiosk.id}/uptime?from=2026-02-30&to=2026-03-01`, admin)).body).toMatchObject({ status: 400, errors: [{ path: "/from" }] })
})

it("notification log: each message with its subject, body and recipient as sent, and what it is about", async () => {
  const notificationId = "ntf_consolequeries0001"
  const paymentId = refundedPaymentId
  const request = {
    notificationId, channel: "email" as const, userId: operator.user.id, address: "op@example.com", template: "refund-notice",
    language: "es" as const, params: { kioskName: "Mine", amount: 200, currency: "EUR", paymentId, refundId: "rfd_x1234567", reason: "Roto" },
    sourceEventId: null,
  }
  const { seq } = await sys.app.run(Effect.gen(function* () {
    const store = yield* EventStore
    const target = { stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) }
    return yield* store.handle(notificationDecider, target, { type: "RequestNotification", request }, { actor: systemActor("notifier"), correlationId: "test" })
  }))
  const page = await get(`/notify/messages?min_seq=${seq}&status=requested`, admin)
  const message = page.body.items.find((m: { id: string }) => m.id === notificationId)
  expect(message).toMatchObject({
    recipient: operator.user.username, address: "op@example.com", template: "refund-notice",
    subject: "Reembolso de 2,00 EUR en Mine",
    body: expect.stringContaining(`Se reembolsaron 2,00 EUR del pago ${paymentId} en el quiosco Mine.\nMotivo: Roto`),
    // No kioskId in this message's parameters: the payment's id names its kiosk.
    paymentId, kioskId: mine.kiosk.id,
  })
  // The test email goes to a bare address: no recipient account, nothing to link.
  const test = page.body.items.find((m: { template: string }) => m.template === "test-email")
  expect(test).toMatchObject({ recipient: null, paymentId: null, kioskId: null, subject: "Admin Kiosk test email" })
})

it("documents every endpoint the console calls (what ui/scripts/check-openapi.ts checks against a running edge)", async () => {
  const document = (await sys.app.inject({ method: "GET", url: "/docs/json" })).json()
  expect(missingEndpoints(document, endpoints)).toEqual([])
})
