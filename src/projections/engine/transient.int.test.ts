// A transient failure is retried, not parked: the projector's Postgres connection is killed with
// pg_terminate_backend in the middle of a batch (lock taken, checkpoint read, nothing applied yet).
import { sql } from "kysely"
import { pino } from "pino"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { paymentsProjection } from "../payments/projector.ts"
import { waitForCheckpoint } from "../query/freshness.ts"
import { appendPayments, readSideFixture, type ReadFixture } from "../../../test/support/projections/fixture.ts"
import { parkedEvents } from "./parking.ts"
import type { Projection } from "./projection.ts"
import { startProjector } from "./projector.ts"

describe("a transient failure mid-batch", () => {
  let f: ReadFixture
  beforeEach(async () => { f = await readSideFixture() })
  afterEach(async () => { await f.dispose() })

  it("is retried on a new connection: nothing parked, every payment applied once", async () => {
    const published = await appendPayments(f, 300)
    const last = Math.max(...published.map((p) => p.seq))

    // The first batch stops after its lock and checkpoint read and tells us its backend, until we let it go on.
    let reportBackend!: (pid: number) => void
    const backend = new Promise<number>((resolve) => { reportBackend = resolve })
    let letGo!: () => void
    const gate = new Promise<void>((resolve) => { letGo = resolve })
    let first = true
    const paused: Projection = {
      ...paymentsProjection,
      async apply(trx, events) {
        if (first) {
          first = false
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
          reportBackend(rows[0]!.pid)
          await gate
        }
        await paymentsProjection.apply(trx, events)
      },
    }
    const lines: Array<Record<string, unknown>> = []
    const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
    const live = await startProjector(paused, { ...f.deps, logger }, { maxBatch: 100 })
    try {
      const pid = await backend
      const { rows } = await sql<{ killed: boolean }>`select pg_terminate_backend(${pid}) as killed`.execute(f.db.db)
      expect(rows[0]!.killed).toBe(true)
      letGo()
      expect(await waitForCheckpoint(f.db.db, "payments", last, 60_000)).toBe(last)
    } finally {
      letGo()
      await live.stop()
    }

    const retried = lines.filter((l) => l.msg === "projection batch failed; retrying")
    expect(retried.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(retried[0]!.err)).toMatch(/terminat|Connection|not queryable/i)
    expect(await parkedEvents(f.db.db, f.db.schema)).toEqual([])
    const rows = await f.db.db.selectFrom("payments").select("payment_id").execute()
    expect(new Set(rows.map((r) => r.payment_id))).toEqual(new Set(published.map((p) => p.paymentId)))
    expect(rows).toHaveLength(published.length)
  })
})
