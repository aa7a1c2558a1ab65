// Rebuild: replays the stream into shadow tables and swaps them in while the live projector keeps running.
import { setTimeout as sleep } from "node:timers/promises"
import { sql } from "kysely"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { RebuildBusy } from "../errors.ts"
import { paymentsProjection } from "../payments/projector.ts"
import { waitForCheckpoint } from "../query/freshness.ts"
import { appendPayments, appendRefunds, type BulkPayment, readSideFixture, type ReadFixture, snapshot } from "../../../test/support/projections/fixture.ts"
import { readCheckpoint } from "./checkpoints.ts"
import { startProjector } from "./projector.ts"
import { rebuildProjection, type RebuildProgress } from "./rebuild.ts"
import { lastSequence } from "./streamReader.ts"

describe("projection rebuild", () => {
  let f: ReadFixture
  beforeEach(async () => { f = await readSideFixture() })
  afterEach(async () => { await f.dispose() })
  const streamLast = () => lastSequence(f.deps.nats.jsm, f.names.stream("PAYMENTS"))

  it("run while payments keep arriving, ends with no payment missing or doubled", async () => {
    const published: Array<BulkPayment> = await appendPayments(f, 4_000)
    const live = await startProjector(paymentsProjection, f.deps, { maxBatch: 200 })
    let keepGoing = true
    let refunds = 0
    const publisher = (async () => {
      for (let i = 4_000; keepGoing; i += 40) {
        const batch = await appendPayments(f, 40, { from: i, concurrency: 8 })
        published.push(...batch)
        await appendRefunds(f, batch.slice(0, 4))
        refunds += 4
      }
    })()
    try {
      await sleep(300)
      const atStart = await streamLast()
      const progress: Array<RebuildProgress> = []
      const result = await rebuildProjection(paymentsProjection, f.deps, { maxBatch: 500, flushEvery: 1_000, onProgress: (p) => progress.push(p) })
      // Payments appended while it replayed made it in through the swap.
      expect(result.checkpoint).toBeGreaterThan(atStart)
      expect(progress.at(-1)!.done).toBe(result.messages)
      await sleep(500) // and the live projector carries on after the swap
      keepGoing = false
      await publisher
      const last = await streamLast()
      expect(await waitForCheckpoint(f.db.db, "payments", last, 60_000)).toBe(last)
    } finally {
      keepGoing = false
      await publisher
      await live.stop()
    }

    const rows = await f.db.db.selectFrom("payments").select(["payment_id", "amount", "refund_count"]).execute()
    expect(rows).toHaveLength(published.length)
    expect(new Set(rows.map((r) => r.payment_id))).toEqual(new Set(published.map((p) => p.paymentId)))
    const totals = await f.db.db.selectFrom("kiosk_daily_sales")
      .select((eb) => [eb.fn.sum<string>("payment_count").as("count"), eb.fn.sum<string>("gross").as("gross"), eb.fn.sum<string>("refund_count").as("refunds")])
      .executeTakeFirstOrThrow()
    expect(Number(totals.count)).toBe(published.length)
    expect(Number(totals.gross)).toBe(published.reduce((sum, p) => sum + p.amount, 0))
    expect(Number(totals.refunds)).toBe(refunds)
    expect(rows.reduce((sum, r) => sum + r.refund_count, 0)).toBe(refunds)
  }, 180_000)

  it("swaps in tables shaped exactly as before (same indexes and keys), again and again", async () => {
    await appendPayments(f, 500)
    const shape = () => sql<{ indexname: string; tablename: string; indexdef: string }>`
      select indexname, tablename, indexdef from pg_indexes where schemaname = ${f.db.schema} order by indexname`.execute(f.db.db)
    const before = (await shape()).rows
    const first = await rebuildProjection(paymentsProjection, f.deps)
    const once = await snapshot(f.db, paymentsProjection.tables)
    await rebuildProjection(paymentsProjection, f.deps)
    expect((await shape()).rows).toEqual(before)
    expect(await snapshot(f.db, paymentsProjection.tables)).toEqual(once)
    expect(once.payments).toHaveLength(500)
    // Logged, tables and indexes: crash-safe and replicated like the tables migrations made.
    const { rows: persistence } = await sql<{ relname: string; relpersistence: string }>`
      select c.relname, c.relpersistence from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${f.db.schema} and c.relkind in ('r', 'i') and c.relpersistence <> 'p'`.execute(f.db.db)
    expect(persistence).toEqual([])
    expect(first.checkpoint).toBe(await streamLast())
    expect(await readCheckpoint(f.db.db, "payments")).toBe(first.checkpoint)
    const { rows: leftovers } = await sql<{ n: number }>`
      select count(*)::int as n from pg_namespace where nspname like ${`${f.db.schema}__rebuild%`}`.execute(f.db.db)
    expect(leftovers[0]!.n).toBe(0)
  }, 120_000)

  it("refuses a second rebuild of the same model while one runs", async () => {
    await appendPayments(f, 3_000)
    const results = await Promise.allSettled([
      rebuildProjection(paymentsProjection, f.deps, { maxBatch: 100 }),
      sleep(50).then(() => rebuildProjection(paymentsProjection, f.deps)),
    ])
    expect(results[0].status).toBe("fulfilled")
    expect(results[1].status).toBe("rejected")
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RebuildBusy)
  }, 120_000)
})
