// Payments as read: read-your-writes after the real command, filters, cursors, operator scope, daily sales.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { recordPayment, refundPayment, registerKiosk, registerUser, pairKioskFromItsLabel, unassignKiosk } from "../../commands/index.ts"
import * as operatorSales from "../migrations/0007_operator_sales.ts"
import { getKiosk } from "../kiosks/queries.ts"
import { type RunningProjectors, startProjectors } from "../runtime.ts"
import { readSideFixture, type ReadFixture } from "../../../test/support/projections/fixture.ts"
import { HISTORY_DAYS } from "../../../test/support/projections/history.ts"
import { dailySales, getPayment, listPayments, type PaymentRow, salesByDay } from "./queries.ts"

describe("payments read model", () => {
  let f: ReadFixture
  let running: RunningProjectors | undefined
  let kioskA: string
  let kioskB: string
  let operatorA: string
  const recorded: Array<{ id: string; kioskId: string; amount: number; currency: string; occurredAt: string }> = []

  beforeAll(async () => {
    f = await readSideFixture()
    running = await startProjectors(f.deps)
    const op = await f.writes.run(registerUser({ username: "opa", password: "correct horse battery", role: "operator" }, f.context))
    operatorA = op.user.id
    kioskA = (await f.writes.run(registerKiosk({ name: "A", location: "Here", code: "KSK-AAAA-0001" }, f.context))).kiosk.id
    kioskB = (await f.writes.run(registerKiosk({ name: "B", location: "There", code: "KSK-BBBB-0002" }, f.context))).kiosk.id
    await f.writes.run(pairKioskFromItsLabel("KSK-AAAA-0001", operatorA, f.context))
    for (let i = 0; i < 30; i++) {
      const kioskId = i % 3 === 0 ? kioskB : kioskA
      const occurredAt = `2026-02-${String(1 + (i % 5)).padStart(2, "0")}T${String(8 + (i % 7)).padStart(2, "0")}:00:00.000Z`
      const r = await f.writes.run(recordPayment({ kioskId, amount: 500 + ((i * 37) % 200), currency: i % 4 === 0 ? "USD" : "EUR", occurredAt,
        idempotencyKey: `k${i}`, maxAgeDays: HISTORY_DAYS }, f.context))
      recorded.push({ id: r.payment.id, kioskId, amount: r.payment.amount, currency: r.payment.currency, occurredAt })
    }
  }, 120_000)
  afterAll(async () => {
    await running?.stop()
    await f.dispose()
  })

  it("a query with the command's sequence returns the row that command just wrote", async () => {
    for (let i = 0; i < 10; i++) {
      const { kiosk, seq: kioskSeq } = await f.writes.run(registerKiosk({ name: `RYW ${i}`, location: "Lab" }, f.context))
      expect(await f.query(getKiosk(kiosk.id, { scope: "all", minSeq: kioskSeq }))).toMatchObject({ kiosk_id: kiosk.id, name: `RYW ${i}` })

      const { payment, seq } = await f.writes.run(recordPayment({ kioskId: kiosk.id, amount: 1_234 + i, currency: "EUR", idempotencyKey: `ryw${i}` }, f.context))
      const page = await f.query(listPayments({ scope: "all", kioskId: kiosk.id, minSeq: seq }))
      expect(page.items.map((p) => [p.payment_id, p.amount, p.seq])).toEqual([[payment.id, 1_234 + i, seq]])

      const refund = await f.writes.run(refundPayment(payment.id, { amount: 34, reason: "ryw", idempotencyKey: `r${i}` }, f.context))
      expect(await f.query(getPayment(payment.id, { scope: "all", minSeq: refund.seq })))
        .toMatchObject({ refunded_amount: 34, net_amount: 1_200 + i, refunds: [{ amount: 34, reason: "ryw" }] })
    }
  })

  it("answers NotReady (retry after 1 s) when the model can't reach the sequence in time", async () => {
    await running?.stop()
    running = undefined
    try {
      const { seq } = await f.writes.run(recordPayment({ kioskId: kioskA, amount: 999, currency: "EUR", idempotencyKey: "late" }, f.context))
      const started = Date.now()
      const result = await f.attemptQuery(listPayments({ scope: "all", minSeq: seq }))
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900)
      expect(result._tag).toBe("Failure")
      const error = (result as { failure: { _tag: string; retryAfterSeconds: number; reached: number; minSeq: number } }).failure
      expect(error).toMatchObject({ _tag: "NotReady", retryAfterSeconds: 1, minSeq: seq })
      expect(error.reached).toBeLessThan(seq)
    } finally {
      running = await startProjectors(f.deps)
    }
  })

  it("pages newest first with opaque cursors, every payment exactly once", async () => {
    const { seq } = await f.writes.run(recordPayment({ kioskId: kioskA, amount: 1, currency: "EUR", occurredAt: "2020-01-01T00:00:00.000Z", idempotencyKey: "page-sync", maxAgeDays: HISTORY_DAYS }, f.context))
    const all: Array<PaymentRow> = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await f.query(listPayments({ scope: "all", kioskId: kioskB, limit: 4, cursor, minSeq: seq }))
      all.push(...page.items)
      cursor = page.next_cursor ?? undefined
      pages++
    } while (cursor !== undefined)
    const expected = recorded.filter((p) => p.kioskId === kioskB)
    expect(all.map((p) => p.payment_id).toSorted()).toEqual(expected.map((p) => p.id).toSorted())
    expect(pages).toBe(Math.ceil(expected.length / 4))
    const keys = all.map((p) => `${p.occurred_at}|${p.payment_id}`)
    expect(keys).toEqual(keys.toSorted().toReversed())
  })

  it("filters by currency and time, sorts by amount, refuses a foreign cursor", async () => {
    const usd = await f.query(listPayments({ scope: "all", currency: "USD", limit: 200 }))
    expect(usd.items.length).toBe(recorded.filter((p) => p.currency === "USD").length)
    const day = await f.query(listPayments({ scope: "all", from: "2026-02-02T00:00:00.000Z", to: "2026-02-03T00:00:00.000Z", limit: 200 }))
    expect(day.items.map((p) => p.payment_id).toSorted()).toEqual(recorded.filter((p) => p.occurredAt.startsWith("2026-02-02")).map((p) => p.id).toSorted())

    const first = await f.query(listPayments({ scope: "all", sort: "amount", limit: 5 }))
    const second = await f.query(listPayments({ scope: "all", sort: "amount", limit: 5, cursor: first.next_cursor! }))
    const amounts = [...first.items, ...second.items].map((p) => p.amount)
    expect(amounts).toEqual(amounts.toSorted((a, b) => a - b))

    const foreign = await f.attemptQuery(listPayments({ scope: "all", sort: "-occurred_at", cursor: first.next_cursor! }))
    expect(foreign._tag === "Failure" && foreign.failure._tag).toBe("Invalid")
    const garbage = await f.attemptQuery(listPayments({ scope: "all", cursor: "not-a-cursor" }))
    expect(garbage._tag === "Failure" && garbage.failure._tag).toBe("Invalid")
  })

  it("shows an operator only the payments taken while a kiosk was theirs, after a hand-over too", async () => {
    const register = (username: string) => f.writes.run(registerUser({ username, password: "correct horse battery", role: "operator" }, f.context))
    const [before, after] = [(await register("handover-before")).user.id, (await register("handover-after")).user.id]
    const code = "KSK-HAND-OVER-1"
    const kioskId = (await f.writes.run(registerKiosk({ name: "Handed over", location: "Gate", code }, f.context))).kiosk.id
    const pay = (key: string, occurredAt: string) =>
      f.writes.run(recordPayment({ kioskId, amount: 1_000, currency: "EUR", occurredAt, idempotencyKey: key, maxAgeDays: HISTORY_DAYS }, f.context))
    await f.writes.run(pairKioskFromItsLabel(code, before, f.context))
    const theirs = await pay("handover-1", "2026-03-01T10:00:00.000Z")
    await f.writes.run(unassignKiosk(kioskId, f.context))
    const unassigned = await pay("handover-2", "2026-03-02T10:00:00.000Z")
    await f.writes.run(pairKioskFromItsLabel(code, after, f.context))
    const next = await pay("handover-3", "2026-03-02T11:00:00.000Z")
    // Refunded after the hand-over: the refund follows its payment into the earlier operator's books.
    const refund = await f.writes.run(refundPayment(theirs.payment.id, { amount: 300, reason: "late", idempotencyKey: "handover-r" }, f.context))

    const listed = async (operatorId: string) =>
      (await f.query(listPayments({ scope: { operatorId }, kioskId, limit: 50, minSeq: refund.seq }))).items
    expect((await listed(before)).map((p) => [p.payment_id, p.refunded_amount])).toEqual([[theirs.payment.id, 300]])
    expect((await listed(after)).map((p) => p.payment_id)).toEqual([next.payment.id])
    for (const hidden of [next, unassigned]) {
      const answer = await f.attemptQuery(getPayment(hidden.payment.id, { scope: { operatorId: before } }))
      expect(answer._tag === "Failure" && answer.failure._tag).toBe("NotFound")
    }
    expect((await f.query(listPayments({ scope: "all", kioskId, limit: 50 }))).items).toHaveLength(3)

    const days = async (operatorId: string) => (await f.query(dailySales({ scope: { operatorId }, kioskId, limit: 50 }))).items
      .map((d) => [d.day, d.payment_count, d.gross, d.refunds, d.net])
    const refundDay = new Date().toISOString().slice(0, 10)
    expect((await days(before)).toSorted()).toEqual([["2026-03-01", 1, 1_000, 0, 1_000], [refundDay, 0, 0, 300, -300]].toSorted())
    expect(await days(after)).toEqual([["2026-03-02", 1, 1_000, 0, 1_000]])
    const chart = await f.query(salesByDay({ scope: { operatorId: after }, kioskId, from: "2026-03-01", to: "2026-03-31" }))
    expect(chart.map((d) => [d.date, d.count, d.gross])).toEqual([["2026-03-02", 1, 1_000]])

    // The migration fills the per-operator days from the payments already projected, exactly as the projector does.
    await running?.stop()
    running = undefined
    try {
      const projected = await f.db.db.selectFrom("operator_daily_sales").selectAll().orderBy(["operator_id", "kiosk_id", "day", "currency"]).execute()
      await operatorSales.down(f.db.db)
      await operatorSales.up(f.db.db)
      const backfilled = await f.db.db.selectFrom("operator_daily_sales").selectAll().orderBy(["operator_id", "kiosk_id", "day", "currency"]).execute()
      expect(backfilled).toEqual(projected)
    } finally {
      running = await startProjectors(f.deps)
    }
  })

  it("shows an operator only the payments of kiosks assigned to them", async () => {
    const mine = await f.query(listPayments({ scope: { operatorId: operatorA }, limit: 200 }))
    expect(mine.items.length).toBeGreaterThan(0)
    expect(new Set(mine.items.map((p) => p.kiosk_id))).toEqual(new Set([kioskA]))
    const other = recorded.find((p) => p.kioskId === kioskB)!
    const hidden = await f.attemptQuery(getPayment(other.id, { scope: { operatorId: operatorA } }))
    expect(hidden._tag === "Failure" && hidden.failure._tag).toBe("NotFound")
    const days = await f.query(dailySales({ scope: { operatorId: operatorA }, limit: 200 }))
    expect(new Set(days.items.map((d) => d.kiosk_id))).toEqual(new Set([kioskA]))
  })

  it("sums daily sales per kiosk, day and currency, paged", async () => {
    const rows = []
    let cursor: string | undefined
    do {
      const page = await f.query(dailySales({ scope: "all", from: "2026-02-01", to: "2026-02-05", limit: 3, cursor }))
      rows.push(...page.items)
      cursor = page.next_cursor ?? undefined
    } while (cursor !== undefined)
    const expected = new Map<string, { count: number; gross: number }>()
    for (const p of recorded) {
      const key = `${p.kioskId}|${p.occurredAt.slice(0, 10)}|${p.currency}`
      const e = expected.get(key) ?? { count: 0, gross: 0 }
      expected.set(key, { count: e.count + 1, gross: e.gross + p.amount })
    }
    expect(rows).toHaveLength(expected.size)
    for (const row of rows) {
      expect(expected.get(`${row.kiosk_id}|${row.day}|${row.currency}`)).toEqual({ count: row.payment_count, gross: row.gross })
      expect(row.net).toBe(row.gross - row.refunds)
    }
    const order = rows.map((r) => [r.day, r.kiosk_id, r.currency].join("|"))
    expect(rows.map((r) => r.day)).toEqual(rows.map((r) => r.day).toSorted().toReversed())
    expect(new Set(order).size).toBe(order.length)
  })
})

