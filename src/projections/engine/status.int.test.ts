// Status per projection, lag gauges, and the alarm for a stream that ends below a checkpoint.
import { Writable } from "node:stream"
import { pino } from "pino"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { registry } from "../../platform/index.ts"
import { PROJECTIONS } from "../catalogue.ts"
import { paymentsProjection } from "../payments/projector.ts"
import { appendPayments, readSideFixture, type ReadFixture } from "../../../test/support/projections/fixture.ts"
import { applyMessages } from "./projector.ts"
import { projectionStatus, watchProjections } from "./status.ts"
import { readStream } from "./streamReader.ts"

describe("projection status and the stream-behind alarm", () => {
  let f: ReadFixture
  beforeEach(async () => { f = await readSideFixture() })
  afterEach(async () => { await f.dispose() })

  async function gauge(name: string, projection: string) {
    const metric = await registry.getSingleMetric(name)!.get()
    return metric.values.find((v) => v.labels.projection === projection)?.value
  }

  it("reports checkpoint, the stream's last sequence and the lag", async () => {
    await appendPayments(f, 50)
    // Apply the first 30 only.
    const first30 = []
    for await (const batch of readStream(f.deps.nats.js, f.deps.nats.jsm, f.names.stream("PAYMENTS"), 1, { upTo: 30 })) first30.push(...batch)
    await f.db.db.insertInto("projection_checkpoints").values({ name: "payments", stream: f.names.stream("PAYMENTS"), last_seq: 0 }).execute()
    await applyMessages(paymentsProjection, f.deps, first30.filter((m) => m.seq <= 30))

    const all = await projectionStatus(f.deps, PROJECTIONS)
    expect(all.map((s) => s.name)).toEqual(PROJECTIONS.map((p) => p.name))
    expect(all.find((s) => s.name === "payments")).toEqual({
      name: "payments", stream: f.names.stream("PAYMENTS"), checkpoint: 30, streamLastSeq: 50, lag: 20, streamBehind: false, parked: 0,
    })
    expect(all.find((s) => s.name === "users")).toMatchObject({ checkpoint: 0, streamLastSeq: 0, lag: 0 })

    const watch = watchProjections({ ...f.deps }, PROJECTIONS, 60_000)
    await watch.checkNow()
    await watch.stop()
    expect(await gauge("projection_lag_events", "payments")).toBe(20)
    expect(await gauge("projection_checkpoint_sequence", "payments")).toBe(30)
  })

  it("raises an error log and a metric when the stream's last sequence is below the checkpoint", async () => {
    await appendPayments(f, 10)
    // A checkpoint above anything the stream holds: as after a stream was restored from an older backup.
    await f.db.db.insertInto("projection_checkpoints").values({ name: "payments", stream: f.names.stream("PAYMENTS"), last_seq: 25 }).execute()
    const lines: Array<{ level: number; msg: string; projection?: string; checkpoint?: number; streamLastSeq?: number }> = []
    const logger = pino({ level: "info" }, new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done() } }))

    const watch = watchProjections({ ...f.deps, logger }, [paymentsProjection], 60_000)
    await watch.checkNow()
    expect(await gauge("projection_stream_behind_checkpoint", "payments")).toBe(1)
    const alarm = lines.find((l) => l.level === 50)
    expect(alarm).toMatchObject({ projection: "payments", checkpoint: 25, streamLastSeq: 10 })
    expect(alarm!.msg).toMatch(/acknowledged events were lost/)

    await f.db.db.updateTable("projection_checkpoints").set({ last_seq: 10 }).where("name", "=", "payments").execute()
    await watch.checkNow()
    await watch.stop()
    expect(await gauge("projection_stream_behind_checkpoint", "payments")).toBe(0)
  })
})
