// Projection rebuild: N payments seeded into PAYMENTS (bench/fixtures/seedPayments.ts), then
// `projections rebuild payments` — replay from sequence 1 into shadow tables, index, swap — timed end to end.
// The rate is events replayed per second. N is REBUILD_BENCH_PAYMENTS (default 100,000). Standalone:
//   node bench/scenarios/projectionRebuild.ts [--payments 100000]
import { randomBytes } from "node:crypto"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { provisionStreams } from "../../src/commands/index.ts"
import { startProgress } from "../../src/cli/index.ts"
import { type AppSettings, closeNats, connectNats, makeLogger, naming, readSettings } from "../../src/platform/index.ts"
import { closeDb, migrate, openDb, rebuildProjections } from "../../src/projections/index.ts"
import { dropRunState } from "../../test/support/cleanup.ts"
import { CEILING } from "../ceilings.ts"
import { seedPayments } from "../fixtures/seedPayments.ts"
import { defineScenario } from "../scenario.ts"

const TARGET_EVENTS_PER_SECOND = 40_000

export async function measureRebuild(settings: AppSettings, payments: number, signal?: AbortSignal) {
  const nats = await connectNats(settings, "bench-rebuild")
  const db = openDb(settings, "bench-rebuild")
  try {
    const names = naming(settings.namespace)
    await provisionStreams(nats.jsm, names)
    await migrate(db)
    const seed = await seedPayments({ natsUrl: settings.natsUrl, names, payments, ...(signal ? { signal } : {}) })
    const progress = startProgress({ label: "rebuilding payments", total: payments })
    try {
      const [result] = await rebuildProjections({ db, nats, names, logger: makeLogger(settings, "bench") }, "payments", {
        ...(signal ? { signal } : {}),
        onProgress: (p) => {
          progress.setTotal(p.total)
          progress.update(p.done)
        },
      })
      return { ...result!, seedPerSecond: seed.perSecond }
    } finally {
      progress.stop()
    }
  } finally {
    await closeDb(db)
    await closeNats(nats)
  }
}

const NAME = "projection rebuild (payments)"

export default defineScenario({
  name: NAME,
  async run(ctx) {
    const payments = Number(process.env.REBUILD_BENCH_PAYMENTS ?? 100_000)
    const result = await measureRebuild(ctx.settings, payments, ctx.signal)
    const insert = ctx.earlier(CEILING.postgresInsert)
    return [{
      name: NAME, unit: "events", perSecond: result.eventsPerSecond,
      ...(insert?.perSecond ? { ceiling: insert.name, ratio: result.eventsPerSecond / insert.perSecond } : {}),
      target: { text: `≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString("en")} events/s`, met: result.eventsPerSecond >= TARGET_EVENTS_PER_SECOND },
      notes: { payments, events: result.events, seconds: Number(result.seconds.toFixed(1)), seedPerSecond: Math.round(result.seedPerSecond) },
    }]
  },
})

if (import.meta.main) {
  const { values } = parseArgs({ options: { payments: { type: "string", default: "100000" } } })
  const base = await Effect.runPromise(readSettings(process.env))
  const runPrefix = `bench_${randomBytes(3).toString("hex")}`
  const settings = await Effect.runPromise(readSettings({ ...process.env, APP_NAMESPACE: `${runPrefix}_rebuild`, LOG_LEVEL: "warn" }))
  try {
    const r = await measureRebuild(settings, Number(values.payments))
    process.stdout.write(`rebuild of ${values.payments} payments: ${r.events} events in ${r.seconds.toFixed(1)} s = ` +
      `${Math.round(r.eventsPerSecond)} events/s (seeded at ${Math.round(r.seedPerSecond)} appends/s)\n`)
  } finally {
    await dropRunState({ natsUrl: base.natsUrl, databaseUrl: base.databaseUrl, runPrefix })
  }
}
