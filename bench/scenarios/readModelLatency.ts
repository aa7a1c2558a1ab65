// Append ack → read-model row: payments appended (in the store's commit format) at a steady rate while
// `serve --roles projector` runs in its own process; a row counts as visible when the projector's transaction that
// wrote it commits. The bench sees that moment through a trigger it adds to this run's checkpoint table: the
// checkpoint moves in the same transaction as the rows, and a NOTIFY is delivered exactly at commit.
import { performance } from "node:perf_hooks"
import pg from "pg"
import { kioskIdFor } from "../../src/commands/index.ts"
import { naming } from "../../src/platform/index.ts"
import { inReadModelOnce } from "../checks/paymentsOnce.ts"
import { openPaymentPublisher } from "../fixtures/paymentPublisher.ts"
import { defineScenario } from "../scenario.ts"
import { percentiles } from "../support/measure.ts"
import { startServe } from "../targets/serve.ts"

const RATE = Number(process.env.ROW_BENCH_RATE ?? 1_000)
const P99_TARGET_MS = 50
const KIOSKS = 100

const NAME = `append ack → read-model row at ${RATE.toLocaleString("en")} payments/s`

export default defineScenario({
  name: NAME,
  async run(ctx) {
    const { settings } = ctx
    const names = naming(settings.namespace)
    const projector = await startServe({ roles: "projector", env: ctx.env })
    const listener = new pg.Client({ connectionString: settings.databaseUrl })
    await listener.connect()
    try {
      const schema = `"${names.dbSchema}"`
      const channel = `${names.namespace}_checkpoint`
      await listener.query(`create function ${schema}.bench_checkpoint_notify() returns trigger language plpgsql as $$
        begin if new.name = 'payments' then perform pg_notify('${channel}', new.last_seq::text); end if; return new; end $$`)
      await listener.query(`create trigger bench_checkpoint_notify after update on ${schema}.projection_checkpoints
        for each row execute function ${schema}.bench_checkpoint_notify()`)
      /** Commit times (this process's clock) of each checkpoint the payments projection reached, in order. */
      const commits: Array<{ seq: number; at: number }> = []
      listener.on("notification", (n) => commits.push({ seq: Number(n.payload), at: performance.now() }))
      await listener.query(`listen "${channel}"`)

      const warmupMs = Math.min(1_000, ctx.durationMs * 0.1)
      const total = Math.round((RATE * (warmupMs + ctx.durationMs)) / 1000)
      const firstMeasured = Math.round((RATE * warmupMs) / 1000)
      const ids: Array<string> = []
      /** Per payment n: its stream sequence and when its ack arrived (this process's clock). */
      const acks: Array<{ seq: number; at: number } | undefined> = []
      const publisher = await openPaymentPublisher({
        natsUrl: settings.natsUrl, names, kioskIds: Array.from({ length: KIOSKS }, (_, i) => kioskIdFor(`BENCH-ROW-${i}`)),
        onAck: (n, seq, at) => { acks[n] = { seq, at } },
      })
      const started = performance.now()
      try {
        ctx.note(`appending ${total.toLocaleString("en")} payments at ${RATE}/s`)
        // Open loop: payment i is due at start + i / rate, whatever happened to the ones before it.
        for (let i = 0; i < total && !ctx.signal.aborted;) {
          for (; i < total && started + (i * 1000) / RATE <= performance.now(); i++) ids.push(publisher.publish(i))
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / RATE - performance.now())))
        }
        await publisher.ackedAtLeast(ids.length, 30_000)
      } finally {
        await publisher.close()
      }
      const seconds = (performance.now() - started) / 1000
      const failures = ids.length - publisher.acked + (publisher.refused ? 1 : 0)
      const appends = acks.flatMap((a, n) => (a !== undefined && n >= firstMeasured ? [{ ...a, id: ids[n]! }] : []))
      const lastSeq = Math.max(...appends.map((a) => a.seq))
      const readModel = await inReadModelOnce(settings.databaseUrl, names, ids, lastSeq, 60_000)

      // Each append's row is visible at the first commit whose checkpoint reaches its seq.
      const latencies: Array<number> = []
      let c = 0
      for (const a of [...appends].sort((x, y) => x.seq - y.seq)) {
        while (c < commits.length && commits[c]!.seq < a.seq) c++
        const commit = commits[c]
        if (commit !== undefined) latencies.push(commit.at - a.at)
      }
      const latencyMs = percentiles(latencies)
      return [{
        name: NAME, unit: "payments", perSecond: publisher.acked / seconds, latencyMs,
        target: { text: `p99 ≤ ${P99_TARGET_MS} ms`, met: latencyMs.p99 <= P99_TARGET_MS && latencies.length > 0 },
        checks: [
          { name: "every append acknowledged", ok: failures === 0, detail: `${failures} of ${ids.length} appends not acknowledged${publisher.refused ? ` (${publisher.refused.message})` : ""}` },
          { name: "every acked payment's commit seen", ok: latencies.length === appends.length, detail: `${latencies.length}/${appends.length}` },
          readModel,
        ],
        notes: {
          measured: appends.length,
          projectorBatches: commits.length,
          visibleBeforeAck: latencies.filter((ms) => ms < 0).length,
          where: "pipelined appends from the bench process → serve --roles projector",
        },
      }]
    } finally {
      await listener.end()
      await projector.stop()
    }
  },
})
