// Projection rebuild: N payments appended to PAYMENTS (as the event store writes them), then
// `projections rebuild payments` — replay from sequence 1 into shadow tables, index, swap — timed end to end.
// The rate is events replayed per second. In the harness N defaults to what this machine can seed in about 40 s
// (at most 100,000); REBUILD_BENCH_PAYMENTS sets it. Standalone, for the 100,000-payment figure:
//   node bench/scenarios/projectionRebuild.ts [--payments 100000]
import { randomBytes } from "node:crypto"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { makeCommit, provisionStreams } from "../../src/commands/index.ts"
import { systemActor } from "../../src/commands/shared/envelope.ts"
import { readSettings } from "../../src/platform/config.ts"
import { newId } from "../../src/platform/ids.ts"
import { makeLogger } from "../../src/platform/logger.ts"
import { closeNats, connectNats } from "../../src/platform/nats.ts"
import { naming } from "../../src/platform/naming.ts"
import { closeDb, migrate, openDb, rebuildProjections } from "../../src/projections/index.ts"
import { dropRunState } from "../../test/support/cleanup.ts"
import { defineScenario, type Measurement } from "../scenario.ts"

const IN_FLIGHT = 512
const KIOSKS = 200

export interface RebuildBenchOptions {
  readonly env: Readonly<Record<string, string>>
  readonly payments: number
  readonly signal?: AbortSignal
  readonly note?: (text: string) => void
  /** Rebuild progress, 0..1. */
  readonly onProgress?: (fraction: number) => void
}

export async function measureRebuild(options: RebuildBenchOptions): Promise<Measurement> {
  const settings = await Effect.runPromise(readSettings(options.env))
  const nats = await connectNats(settings, "bench-rebuild")
  const db = openDb(settings, "bench-rebuild")
  try {
    const names = naming(settings.namespace)
    await provisionStreams(nats.jsm, names)
    await migrate(db)

    // Seed: the store's own commit format, published with its msg id and expected stream, many in flight.
    const context = { actor: systemActor("bench"), correlationId: `bench-${randomBytes(6).toString("hex")}` }
    const seedStarted = performance.now()
    for (let i = 0; i < options.payments && !options.signal?.aborted; i += IN_FLIGHT) {
      if (i % 10_240 === 0) options.note?.(`seeding ${i.toLocaleString("en")}/${options.payments.toLocaleString("en")} payments`)
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, options.payments - i) }, (_, k) => {
        const n = i + k
        const kioskId = `ksk_bench${String(n % KIOSKS).padStart(8, "0")}`
        const paymentId = newId("pay")
        const commitId = newId("cmt")
        const commit = makeCommit("PAYMENTS", [{
          type: "PaymentRecorded",
          data: {
            paymentId, kioskId, amount: 100 + (n % 9_900), currency: n % 5 === 0 ? "USD" : "EUR",
            occurredAt: new Date(Date.UTC(2026, 0, 1) + (n % 365) * 86_400_000 + (n % 86_400) * 1000).toISOString(),
            operatorId: null, requestHash: "bench",
          },
        }], commitId, context)
        return nats.js.publish(names.subject.payment(kioskId, paymentId), JSON.stringify(commit), {
          msgID: commitId, expect: { streamName: names.stream("PAYMENTS") },
        })
      }))
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000

    options.note?.(`rebuilding ${options.payments.toLocaleString("en")} payments`)
    const [result] = await rebuildProjections({ db, nats, names, logger: makeLogger(settings, "bench") }, "payments", {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.(p.total > 0 ? p.done / p.total : 1),
    })
    return {
      ops: result!.events,
      errors: 0,
      seconds: result!.seconds,
      perSecond: result!.eventsPerSecond,
      unit: "events",
      notes: { payments: options.payments, seedPerSecond: Math.round(options.payments / seedSeconds) },
    }
  } finally {
    await closeDb(db)
    await closeNats(nats)
  }
}

export default defineScenario({
  name: "projection rebuild (payments)",
  ceiling: "postgresInsert",
  run: (ctx) => measureRebuild({
    env: ctx.env,
    payments: Number(process.env.REBUILD_BENCH_PAYMENTS ?? Math.min(100_000, Math.max(5_000, Math.floor(ctx.ceilings.jetstreamPublish.perSecond * 40)))),
    signal: ctx.signal,
    note: ctx.note,
    onProgress: (fraction) => ctx.tick(fraction * ctx.durationMs),
  }),
})

if (import.meta.main) {
  const { values } = parseArgs({ options: { payments: { type: "string", default: "100000" } } })
  const settings = await Effect.runPromise(readSettings(process.env))
  const runPrefix = `bench_${randomBytes(3).toString("hex")}`
  const env = { NODE_ENV: "test", NATS_URL: settings.natsUrl, DATABASE_URL: settings.databaseUrl, APP_NAMESPACE: `${runPrefix}_rebuild`, LOG_LEVEL: "warn" }
  try {
    const m = await measureRebuild({ env, payments: Number(values.payments), note: (text) => process.stderr.write(`${text}\n`) })
    process.stdout.write(`rebuild of ${m.notes!.payments} payments: ${m.ops} events in ${m.seconds.toFixed(1)} s = ` +
      `${Math.round(m.perSecond)} events/s (seeded at ${m.notes!.seedPerSecond} appends/s)\n`)
  } finally {
    await dropRunState({ natsUrl: settings.natsUrl, databaseUrl: settings.databaseUrl, runPrefix })
  }
}
