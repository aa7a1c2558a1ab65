// Reconciliation and balances from PAYMENTS itself: they agree with an untouched read model; a read-model row
// changed by hand in Postgres is found (over HTTP and by the CLI, exit 1); balances as of a sequence or an
// instant are what the stream said then.
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Db } from "../projections/index.ts"
import { naming, Nats } from "../platform/index.ts"
import { startReconciler } from "../workers/reconciler/index.ts"
import { lastReconciliation } from "./seals.ts"
import { runCli } from "../../test/support/cli.ts"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"

let sys: EdgeSystem
let admin: Session
let auditor: Session
let kiosk: { id: string; code: string; token: string }
const seqs: Array<number> = []
const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  sys = await startEdgeSystem()
  admin = await sys.userWithRole("admin")
  auditor = await sys.userWithRole("auditor")
  const r = await sys.registerKiosk(admin, "Reconcile kiosk")
  kiosk = { id: r.kiosk.id, code: r.kiosk.code, token: r.deviceToken }
  for (const [i, [amount, currency, ago]] of ([[1000, "EUR", 3], [250, "EUR", 3], [400, "USD", 2], [900, "EUR", 1]] as const).entries()) {
    const p = await sys.app.inject({ method: "POST", url: "/payments", headers: { ...sys.bearer(kiosk.token), "idempotency-key": `rec-${i}` },
      payload: { kiosk_id: kiosk.id, amount, currency, occurred_at: `${day(ago)}T10:00:00Z` } })
    expect(p.statusCode, p.body).toBe(201)
    seqs.push(p.json().seq)
  }
  const first = (await sys.app.inject({ method: "GET", url: `/payments?kiosk_id=${kiosk.id}&min_seq=${seqs.at(-1)}&limit=10`, headers: sys.bearer(admin.token) }))
    .json().items.find((p: { amount: number }) => p.amount === 1000)
  const refund = await sys.app.inject({ method: "POST", url: `/payments/${first.id}/refund`, headers: { ...sys.bearer(admin.token), "idempotency-key": "rec-r" },
    payload: { amount: 300, reason: "reconcile" } })
  expect(refund.statusCode, refund.body).toBe(200)
  seqs.push(refund.json().seq)
  // The read model has everything before the checks start.
  expect((await sys.app.inject({ method: "GET", url: `/payments/totals?min_seq=${seqs.at(-1)}`, headers: sys.bearer(admin.token) })).statusCode).toBe(200)
}, 120_000)
afterAll(async () => { await sys.close() })

const reconciliation = async () => {
  const r = await sys.app.inject({ method: "GET", url: `/audit/reconciliation?kiosk_id=${kiosk.code}`, headers: sys.bearer(auditor.token) })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}

describe("reconciliation", () => {
  it("agrees with the untouched read model, at the read model's checkpoint", async () => {
    const r = await reconciliation()
    expect(r.differences).toEqual([])
    expect(r.through_seq).toBeGreaterThanOrEqual(seqs.at(-1)!)
    expect(r.totals).toEqual([
      { currency: "EUR", replayed_net: 1850, read_model_net: 1850 },
      { currency: "USD", replayed_net: 400, read_model_net: 400 },
    ])
    const cli = await runCli(["audit", "reconcile", "--kiosk", kiosk.id], { ...process.env as Record<string, string>, APP_NAMESPACE: sys.settings.namespace, DATABASE_URL: sys.settings.databaseUrl, NATS_URL: sys.settings.natsUrl })
    expect(cli.code, cli.stderr + cli.stdout).toBe(0)
    expect(cli.stdout).toContain("OK: no differences")
  })

  it("finds a read-model row changed by hand in Postgres, with both values (CLI exit 1)", async () => {
    const { db } = await sys.app.run(Db)
    await sql`update kiosk_daily_sales set gross = gross + 5 where kiosk_id = ${kiosk.id} and day = ${day(2)}::date and currency = 'USD'`.execute(db)
    await sql`update payments set amount = 901 where kiosk_id = ${kiosk.id} and amount = 900`.execute(db)
    const r = await reconciliation()
    expect(r.differences).toEqual([
      { kiosk_id: kiosk.id, day: day(2), currency: "USD", field: "gross", replayed: 400, read_model: 405 },
      { kiosk_id: kiosk.id, day: day(1), currency: "EUR", field: "listed_gross", replayed: 900, read_model: 901 },
    ].toSorted((a, b) => a.day.localeCompare(b.day)))
    const cli = await runCli(["audit", "reconcile"], { ...process.env as Record<string, string>, APP_NAMESPACE: sys.settings.namespace, DATABASE_URL: sys.settings.databaseUrl, NATS_URL: sys.settings.natsUrl })
    expect(cli.code).toBe(1)
    expect(cli.stdout).toContain(`DIFF ${day(2)} ${kiosk.id} USD gross: replayed 400, read model 405`)
    await sql`update kiosk_daily_sales set gross = gross - 5 where kiosk_id = ${kiosk.id} and day = ${day(2)}::date and currency = 'USD'`.execute(db)
    await sql`update payments set amount = 900 where kiosk_id = ${kiosk.id} and amount = 901`.execute(db)
  })
})

describe("balances as of", () => {
  const balances = async (asOf: string) => {
    const r = await sys.app.inject({ method: "GET", url: `/audit/balances?as_of=${asOf}&kiosk_id=${kiosk.id}`, headers: sys.bearer(admin.token) })
    expect(r.statusCode, r.body).toBe(200)
    return r.json()
  }

  it("replays up to a sequence: before the refund, and after it", async () => {
    const before = await balances(String(seqs[3]))
    expect(before.through_seq).toBe(seqs[3])
    expect(before.items.map((b: { currency: string; gross: number; refunded: number; net: number }) => [b.currency, b.gross, b.refunded, b.net]))
      .toEqual([["EUR", 2150, 0, 2150], ["USD", 400, 0, 400]])
    const after = await balances(String(seqs[4]))
    expect(after.items[0]).toMatchObject({ kiosk_name: "Reconcile kiosk", currency: "EUR", payments: 3, refunds: 1, refunded: 300, net: 1850 })
  })

  it("replays what was recorded before an instant", async () => {
    expect((await balances("2000-01-01")).items).toEqual([])
    expect((await balances(new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"))).items).toHaveLength(2)
    expect((await sys.app.inject({ method: "GET", url: "/audit/balances?as_of=0", headers: sys.bearer(admin.token) })).statusCode).toBe(400)
  })
})

describe("the reconciler role", () => {
  it("records the daily result on AUDIT once, however often it restarts", async () => {
    const { jsm } = await sys.app.run(Nats)
    const names = naming(sys.settings.namespace)
    const first = await startReconciler(sys.runtime)
    let last = await lastReconciliation(jsm, names)
    for (const deadline = Date.now() + 60_000; last === undefined && Date.now() < deadline; last = await lastReconciliation(jsm, names)) {
      await new Promise((r) => setTimeout(r, 200))
    }
    await first.stop()
    expect(last?.result).toMatchObject({ differenceCount: 0, differences: [], fromDay: null, toDay: null })
    expect(last!.result.throughSeq).toBeGreaterThanOrEqual(seqs.at(-1)!)
    const again = await startReconciler(sys.runtime)
    await new Promise((r) => setTimeout(r, 1_000))
    await again.stop()
    expect((await lastReconciliation(jsm, names))?.auditSeq).toBe(last!.auditSeq)
    const status = await sys.app.inject({ method: "GET", url: "/audit/status", headers: sys.bearer(auditor.token) })
    expect(status.json()).toMatchObject({
      last_reconciliation: { through_seq: last!.result.throughSeq, difference_count: 0 }, last_seal: null, last_verify: null,
    })
  }, 120_000)
})
