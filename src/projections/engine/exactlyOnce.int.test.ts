// The projector's promise: whatever happens between fetch, commit and ack — a SIGKILL mid-batch, a crash
// between commit and ack, two processes on one consumer — the read model ends as one clean pass leaves it.
import { setTimeout as sleep } from "node:timers/promises"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { paymentsProjection } from "../payments/projector.ts"
import { waitForCheckpoint } from "../query/freshness.ts"
import { appendPayments, appendRefunds, readSideFixture, type ReadFixture, snapshot } from "../../../test/support/projections/fixture.ts"
import { childInBatch, spawnProjector } from "../../../test/support/projections/spawnProjector.ts"
import { readCheckpoint } from "./checkpoints.ts"
import { applyMessages, startProjector } from "./projector.ts"
import { rebuildProjection } from "./rebuild.ts"
import { lastSequence } from "./streamReader.ts"

const TABLES = paymentsProjection.tables

describe("exactly-once projection", () => {
  let f: ReadFixture
  beforeEach(async () => { f = await readSideFixture() })
  afterEach(async () => { await f.dispose() })

  const streamLast = () => lastSequence(f.deps.nats.jsm, f.names.stream("PAYMENTS"))
  /** What the model holds now, compared with what a rebuild from the stream makes of it. */
  async function expectEqualToFreshRebuild() {
    const live = await snapshot(f.db, TABLES)
    const result = await rebuildProjection(paymentsProjection, f.deps)
    const rebuilt = await snapshot(f.db, TABLES)
    expect(rebuilt.payments).toHaveLength(live.payments!.length)
    expect(rebuilt).toEqual(live)
    return { live, result }
  }

  it("a projector SIGKILLed mid-batch and restarted ends equal to a fresh rebuild, row by row", async () => {
    const appendStarted = performance.now()
    const payments = await appendPayments(f, 8_000)
    console.info(`appended 8,000 payments in ${Math.round(performance.now() - appendStarted)} ms`)
    await appendRefunds(f, payments.filter((_, i) => i % 10 === 0))
    const last = await streamLast()

    const first = await spawnProjector(f.env, { projections: ["payments"], maxBatch: 400 })
    // Kill it while one of its batches is inside a transaction, after at least one batch has committed.
    let killedMidBatch = false
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const checkpoint = await readCheckpoint(f.db.db, "payments")
      if (checkpoint >= last) break
      if (checkpoint > 0 && await childInBatch(f.db.db, f.settings.namespace, first.pid)) {
        first.process.kill("SIGKILL")
        killedMidBatch = true
        break
      }
    }
    expect(killedMidBatch, first.output()).toBe(true)
    expect((await first.exited).signal).toBe("SIGKILL")
    const atKill = await readCheckpoint(f.db.db, "payments")
    expect(atKill).toBeGreaterThan(0)
    expect(atKill).toBeLessThan(last)
    // Delivered to the dead process and never acked: these come back only after ack_wait, out of order.
    const consumer = await f.deps.nats.jsm.consumers.info(f.names.stream("PAYMENTS"), f.names.consumer("projection", "payments"))
    expect(consumer.num_ack_pending).toBeGreaterThan(0)

    const second = await spawnProjector(f.env, { projections: ["payments"], maxBatch: 400 })
    expect(await waitForCheckpoint(f.db.db, "payments", last, 90_000)).toBe(last)
    second.process.kill("SIGTERM")
    expect((await second.exited).code, second.output()).toBe(0)

    const { live } = await expectEqualToFreshRebuild()
    expect(live.payments).toHaveLength(8_000)
    expect(live.payment_refunds).toHaveLength(800)
  }, 300_000)

  it("two projector processes on the same consumer, while payments keep coming, end as one clean pass", async () => {
    await appendPayments(f, 3_000)
    const [a, b] = await Promise.all([
      spawnProjector(f.env, { projections: ["payments"], maxBatch: 200 }),
      spawnProjector(f.env, { projections: ["payments"], maxBatch: 200 }),
    ])
    await appendPayments(f, 3_000, { from: 3_000, concurrency: 16 })
    const last = await streamLast()
    expect(await waitForCheckpoint(f.db.db, "payments", last, 90_000)).toBe(last)
    a.process.kill("SIGTERM")
    b.process.kill("SIGTERM")
    expect((await a.exited).code, a.output()).toBe(0)
    expect((await b.exited).code, b.output()).toBe(0)
    const { live } = await expectEqualToFreshRebuild()
    expect(live.payments).toHaveLength(6_000)
  }, 180_000)

  it("a crash between commit and ack: the redelivered messages are skipped and acked", async () => {
    // Create the projection's durable consumer with a short ack_wait, on an empty stream.
    const setup = await startProjector(paymentsProjection, f.deps, { ackWaitMs: 1_500 })
    await setup.stop()
    await appendPayments(f, 900)
    const last = await streamLast()

    // "Process 1": fetch and commit 300 messages, then die before acking them.
    const stream = f.names.stream("PAYMENTS")
    const durable = f.names.consumer("projection", "payments")
    const consumer = await f.deps.nats.js.consumers.get(stream, durable)
    const fetched = []
    for await (const m of await consumer.fetch({ max_messages: 300, expires: 5_000 })) fetched.push(m)
    expect(fetched).toHaveLength(300)
    const applied = await applyMessages(paymentsProjection, f.deps, fetched)
    expect(applied).toMatchObject({ from: 0, to: 300, events: 300 })

    // "Process 2" takes over; the 300 unacked come back after ack_wait and must change nothing.
    const projector = await startProjector(paymentsProjection, f.deps)
    try {
      expect(await waitForCheckpoint(f.db.db, "payments", last, 30_000)).toBe(last)
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
        const info = await f.deps.nats.jsm.consumers.info(stream, durable)
        if (info.num_ack_pending === 0 && info.delivered.consumer_seq >= last + 300) break
      }
      // Every message delivered once more than the stream holds (the 300 came back), and all of them acked.
      const info = await f.deps.nats.jsm.consumers.info(stream, durable)
      expect(info.delivered.consumer_seq).toBeGreaterThanOrEqual(last + 300)
      expect(info.num_ack_pending).toBe(0)
      expect(info.ack_floor.stream_seq).toBe(last)
    } finally {
      await projector.stop()
    }
    expect(await readCheckpoint(f.db.db, "payments")).toBe(last)
    const { live } = await expectEqualToFreshRebuild()
    expect(live.payments).toHaveLength(900)
  }, 120_000)
})
