// Append ack → read-model row: payments appended through the event store at a steady rate while
// `serve --roles projector` runs in its own process; a row counts as visible when the projector's transaction that
// wrote it commits. The bench sees that moment through a trigger it adds to this run's checkpoint table: the
// checkpoint moves in the same transaction as the rows, and a NOTIFY is delivered exactly at commit.
import { performance } from "node:perf_hooks"
import { Effect } from "effect"
import pg from "pg"
import { kioskIdFor, openEventStore, systemActor } from "../../src/commands/index.ts"
import { paymentIdFor } from "../../src/commands/identity.ts"
import { closeNats, connectNats } from "../../src/platform/nats.ts"
import { inReadModelOnce } from "../checks/paymentsOnce.ts"
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
    const nats = await connectNats(settings, "bench-rows")
    const store = await Effect.runPromise(openEventStore(nats, settings))
    const names = store.naming
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

      const kioskIds = Array.from({ length: KIOSKS }, (_, i) => kioskIdFor(`BENCH-ROW-${i}`))
      const context = { actor: systemActor("bench"), correlationId: "bench-rows" }
      const appends: Array<{ seq: number; ackedAt: number; id: string }> = []
      const warmupMs = Math.min(1_000, ctx.durationMs * 0.1)
      const total = Math.round((RATE * (warmupMs + ctx.durationMs)) / 1000)
      const inFlight: Array<Promise<void>> = []
      let failures = 0
      const started = performance.now()
      ctx.note(`appending ${total.toLocaleString("en")} payments at ${RATE}/s`)
      for (let i = 0; i < total && !ctx.signal.aborted;) {
        for (; i < total && started + (i * 1000) / RATE <= performance.now(); i++) {
          const kioskId = kioskIds[i % KIOSKS]!
          const paymentId = paymentIdFor(kioskId, `bench-row-${i}`)
          const measured = i * (1000 / RATE) >= warmupMs
          inFlight.push(Effect.runPromise(store.append("PAYMENTS", names.subject.payment(kioskId, paymentId), [{
            type: "PaymentRecorded",
            data: { paymentId, kioskId, amount: 1250, currency: "EUR", occurredAt: new Date().toISOString(), operatorId: null, requestHash: "bench" },
          }], { expectedVersion: 0, context })).then(
            ({ seq }) => { if (measured) appends.push({ seq, ackedAt: performance.now(), id: paymentId }) },
            () => { failures++ },
          ))
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / RATE - performance.now())))
      }
      await Promise.all(inFlight)
      const seconds = (performance.now() - started) / 1000
      const lastSeq = Math.max(...appends.map((a) => a.seq))
      const readModel = await inReadModelOnce(settings.databaseUrl, names, appends.map((a) => a.id), lastSeq, 60_000)

      // Each append's row is visible at the first commit whose checkpoint reaches its seq.
      const latencies: Array<number> = []
      let c = 0
      for (const a of [...appends].sort((x, y) => x.seq - y.seq)) {
        while (c < commits.length && commits[c]!.seq < a.seq) c++
        const commit = commits[c]
        if (commit !== undefined) latencies.push(commit.at - a.ackedAt)
      }
      const latencyMs = percentiles(latencies)
      return [{
        name: NAME, unit: "payments", perSecond: (total - failures) / seconds, latencyMs,
        target: { text: `p99 ≤ ${P99_TARGET_MS} ms`, met: latencyMs.p99 <= P99_TARGET_MS && latencies.length > 0 },
        checks: [
          { name: "every append acknowledged", ok: failures === 0, detail: `${failures} of ${total} appends failed` },
          { name: "every acked payment's commit seen", ok: latencies.length === appends.length, detail: `${latencies.length}/${appends.length}` },
          readModel,
        ],
        notes: {
          measured: appends.length,
          projectorBatches: commits.length,
          visibleBeforeAck: latencies.filter((ms) => ms < 0).length,
          where: "event store in the bench process → serve --roles projector",
        },
      }]
    } finally {
      await listener.end()
      await projector.stop()
      await closeNats(nats)
    }
  },
})
