// Replay over HTTP, from PAYMENTS itself: 100,000 payments stream with flat memory (measured here and printed),
// first row at once, and give the read model's totals; a kiosk's name is the one it had when each payment was
// recorded; a client that goes away stops the reading; and every read is recorded on AUDIT.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedPayments } from "../../bench/fixtures/seedPayments.ts"
import { naming, Nats } from "../platform/index.ts"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { readLog } from "./paymentLog.ts"
import type { ReplayRow } from "./replay.ts"

const PAYMENTS = 100_000
let sys: EdgeSystem
let base: string
let admin: Session
let auditor: Session
let kiosks: Array<{ id: string; code: string; token: string }>

beforeAll(async () => {
  sys = await startEdgeSystem()
  await sys.app.listen({ host: "127.0.0.1", port: 0 })
  const address = sys.app.server.address()
  base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
  admin = await sys.userWithRole("admin")
  auditor = await sys.userWithRole("auditor")
  kiosks = []
  for (let i = 0; i < 20; i++) {
    const r = await sys.registerKiosk(admin, `Replay kiosk ${i}`)
    kiosks.push({ id: r.kiosk.id, code: r.kiosk.code, token: r.deviceToken })
  }
}, 120_000)
afterAll(async () => { await sys.close() })

const get = (path: string, session: Session, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...sys.bearer(session.token), ...(init.headers as Record<string, string> ?? {}) } })

const pay = async (kiosk: { id: string; token: string }, amount: number, key: string) => {
  const r = await sys.app.inject({ method: "POST", url: "/payments", headers: { ...sys.bearer(kiosk.token), "idempotency-key": key },
    payload: { kiosk_id: kiosk.id, amount, currency: "EUR" } })
  expect(r.statusCode, r.body).toBe(201)
  return r.json().seq as number
}

async function lines(response: Response, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder()
  let rest = ""
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true })
    let at: number
    while ((at = rest.indexOf("\n")) >= 0) {
      onLine(rest.slice(0, at))
      rest = rest.slice(at + 1)
    }
  }
  if (rest.trim() !== "") onLine(rest)
}

describe("GET /audit/payments", () => {
  it("answers rows from PAYMENTS with each kiosk's name as of then, by seq range and kiosk, as NDJSON or CSV", async () => {
    const k = kiosks[0]!
    const first = await pay(k, 500, "rename-1")
    const renamed = await sys.app.inject({ method: "PATCH", url: `/kiosks/${k.id}`, headers: sys.bearer(admin.token), payload: { name: "Renamed kiosk" } })
    expect(renamed.statusCode, renamed.body).toBe(200)
    const second = await pay(k, 700, "rename-2")
    const refund = await sys.app.inject({ method: "POST", url: `/payments/${(await sys.app.inject({ method: "GET", url: `/payments?kiosk_id=${k.id}&min_seq=${second}`, headers: sys.bearer(admin.token) })).json().items[0].id}/refund`,
      headers: { ...sys.bearer(admin.token), "idempotency-key": "r1" }, payload: { amount: 100, reason: "audit" } })
    expect(refund.statusCode, refund.body).toBe(200)

    const ndjson = await get(`/audit/payments?kiosk_id=${k.code}&from_seq=${first}`, auditor, { headers: { accept: "application/x-ndjson" } })
    expect(ndjson.status).toBe(200)
    expect(ndjson.headers.get("content-type")).toMatch(/^application\/x-ndjson/)
    const rows: Array<ReplayRow> = []
    await lines(ndjson, (l) => rows.push(JSON.parse(l)))
    expect(rows.map((r) => [r.seq, r.type, r.kiosk_name, r.amount])).toEqual([
      [first, "PaymentRecorded", `Replay kiosk 0`, 500],
      [second, "PaymentRecorded", "Renamed kiosk", 700],
      [refund.json().seq, "PaymentRefunded", "Renamed kiosk", 100],
    ])
    expect(rows[0]).toMatchObject({ kiosk_id: k.id, currency: "EUR", refund_id: null, actor: `kiosk:${k.id}` })
    expect(rows[2]).toMatchObject({ actor: `user:${admin.user.id}`, refund_id: expect.stringMatching(/^rfd_/) })

    const csv = await get(`/audit/payments?kiosk_id=${k.id}&to_seq=${second}`, admin, { headers: { accept: "text/csv" } })
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/)
    const text = await csv.text()
    expect(text.split("\r\n")[0]).toBe("seq,recorded_at,occurred_at,type,kiosk_id,kiosk_name,payment_id,amount_minor,amount,currency,refund_id,actor,correlation_id")
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(3)
    expect(text).toContain(",700,7.00,EUR,,")

    // An operator may not; bad ranges are 400 and record nothing.
    const operator = await sys.userWithRole("operator")
    expect((await get("/audit/payments", operator)).status).toBe(403)
    const before = await sys.streamTotals()
    expect((await get("/audit/payments?from_seq=0", auditor)).status).toBe(400)
    expect((await get("/audit/payments?recorded_from=2026-13-01", auditor)).status).toBe(400)
    expect(await sys.streamTotals()).toBe(before)
  })

  it("records every read of the audit trail on AUDIT: who, when, which range", async () => {
    const { js, jsm } = await sys.app.run(Nats)
    const names = naming(sys.settings.namespace)
    const reads = []
    for await (const m of readLog(js, jsm, names.stream("AUDIT"), { subject: names.subject.audit("access") })) reads.push(JSON.parse(new TextDecoder().decode(m.data)))
    expect(reads.map((c) => [c.actor.id, c.events[0].data.what, c.events[0].data.range])).toEqual([
      [auditor.user.id, "replay", expect.stringMatching(/^seq \d+-$/)],
      [admin.user.id, "replay", expect.stringMatching(/^seq 1-\d+$/)],
    ])
    expect(reads[0].events[0].data.kioskId).toBe(kiosks[0]!.id)
  })

  it(`streams ${PAYMENTS.toLocaleString("en")} payments with flat memory, first row at once, and gives the read model's totals`, async () => {
    const names = naming(sys.settings.namespace)
    await seedPayments({ natsUrl: sys.settings.natsUrl, names, payments: PAYMENTS, kioskIds: kiosks.map((k) => k.id) })
    const { jsm } = await sys.app.run(Nats)
    const last = (await jsm.streams.info(names.stream("PAYMENTS"))).state.last_seq

    // The read model's totals once it has caught up (min_seq waits a bounded time: ask again until it has).
    let model: Array<{ currency: string; count: number; gross: number; refunded: number; net: number }> | undefined
    for (let attempt = 0; model === undefined && attempt < 60; attempt++) {
      const r = await sys.app.inject({ method: "GET", url: `/payments/totals?min_seq=${last}`, headers: sys.bearer(auditor.token) })
      if (r.statusCode === 200) model = r.json().items
      else expect(r.statusCode, r.body).toBe(503)
    }
    expect(model).toBeDefined()

    global.gc?.()
    const baseline = process.memoryUsage()
    const samples: Array<{ rows: number; heap: number; rss: number }> = []
    let rows = 0
    const timer = setInterval(() => {
      const m = process.memoryUsage()
      samples.push({ rows, heap: m.heapUsed, rss: m.rss })
    }, 50)
    const started = performance.now()
    let firstRowMs: number | undefined
    const totals = new Map<string, { count: number; gross: number; refunded: number }>()
    const response = await get("/audit/payments", auditor, { headers: { accept: "application/x-ndjson" } })
    expect(response.status).toBe(200)
    await lines(response, (line) => {
      firstRowMs ??= performance.now() - started
      rows++
      const row = JSON.parse(line) as ReplayRow
      const t = totals.get(row.currency) ?? { count: 0, gross: 0, refunded: 0 }
      if (row.type === "PaymentRecorded") {
        t.count++
        t.gross += row.amount
      } else t.refunded += row.amount
      totals.set(row.currency, t)
    })
    clearInterval(timer)
    const seconds = (performance.now() - started) / 1000

    expect(rows).toBe(PAYMENTS + 3)
    const replayed = [...totals].map(([currency, t]) => ({ currency, count: t.count, gross: t.gross, refunded: t.refunded, net: t.gross - t.refunded }))
      .toSorted((a, b) => a.currency.localeCompare(b.currency))
    expect(replayed).toEqual(model!.toSorted((a, b) => a.currency.localeCompare(b.currency)))

    // Flat: the heap after each collection (its low points) is no higher in the last quarter of the stream than in
    // the second; peaks say when the collector ran, not what is kept. Retaining the rows would add ~50 MB.
    const quarter = (q: number) => samples.filter((s) => s.rows >= (PAYMENTS * (q - 1)) / 4 && s.rows < (PAYMENTS * q) / 4)
    const low = (list: typeof samples) => Math.min(...list.map((s) => s.heap))
    const peak = (list: typeof samples, key: "heap" | "rss") => Math.max(...list.map((s) => s[key]))
    const mb = (bytes: number) => Math.round(bytes / 1_048_576)
    const [q2, q4] = [quarter(2), quarter(4)]
    const figures = {
      rows, seconds: Number(seconds.toFixed(1)), rowsPerSecond: Math.round(rows / seconds), firstRowMs: Math.round(firstRowMs!),
      baselineHeapMb: mb(baseline.heapUsed), baselineRssMb: mb(baseline.rss),
      heapLowQ2Mb: mb(low(q2)), heapLowQ4Mb: mb(low(q4)), heapPeakQ2Mb: mb(peak(q2, "heap")), heapPeakQ4Mb: mb(peak(q4, "heap")),
      rssPeakQ2Mb: mb(peak(q2, "rss")), rssPeakQ4Mb: mb(peak(q4, "rss")),
    }
    console.log(`replay figures ${JSON.stringify(figures)}`)
    expect(q2.length).toBeGreaterThan(3)
    expect(q4.length).toBeGreaterThan(3)
    expect(low(q4) - low(q2)).toBeLessThan(24 * 1_048_576)
    expect(peak(q4, "rss") - peak(q2, "rss")).toBeLessThan(64 * 1_048_576)
    expect(firstRowMs!).toBeLessThan(5_000)
  }, 900_000)

  it("stops reading when the client goes away", async () => {
    const { jsm } = await sys.app.run(Nats)
    const stream = naming(sys.settings.namespace).stream("PAYMENTS")
    const consumers = async () => (await jsm.streams.info(stream)).state.consumer_count
    const idle = await consumers()
    const controller = new AbortController()
    const response = await get("/audit/payments?format=csv", auditor, { signal: controller.signal })
    try {
      const reader = response.body!.getReader()
      let text = ""
      // The header comes first; the rows once the consumer reads.
      while (text.split("\r\n").length < 3) text += new TextDecoder().decode((await reader.read()).value)
      expect(await consumers()).toBe(idle + 1)
    } finally {
      controller.abort()
    }
    const deadline = Date.now() + 10_000
    while ((await consumers()) > idle && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(await consumers()).toBe(idle)
  })
})
