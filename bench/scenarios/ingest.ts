// Payment ingest over HTTP against `serve` in its own process, alternating run by run with the naive route (the
// ceiling: a bare Fastify route that validates the body and awaits one JetStream ack), both driven by autocannon
// from a third process. Hundreds of kiosks and a new Idempotency-Key per request, so that the per-kiosk rate limit
// never binds and no request is a retry. Before each naive run the server under test and the machine must have gone
// quiet (all roles: the read side, Postgres and NATS have worked off the last run), so the two never share the
// machine. Then the checks: no non-2xx answer, every 2xx payment in PAYMENTS once and
// in the read model once.
import { DEFAULT_LIMITS } from "../../src/edge/index.ts"
import { closeNats, connectNats, naming } from "../../src/platform/index.ts"
import { type Check, inReadModelOnce, inStreamOnce, onlySuccess, paymentsAppendedAfter } from "../checks/paymentsOnce.ts"
import { type Fleet, registerFleet } from "../fixtures/fleet.ts"
import { seedPayments } from "../fixtures/seedPayments.ts"
import { answeredPaymentIds, type LoadResult, runLoad, totals } from "../load/runLoad.ts"
import { type BenchContext, defineScenario, type Row } from "../scenario.ts"
import { median, percentiles } from "../support/measure.ts"
import { untilQuiet } from "../support/quiet.ts"
import { startNaiveRoute } from "../targets/naiveRoute.ts"
import { startServe } from "../targets/serve.ts"
import { type ServerProcess, watchMemory } from "../targets/serverProcess.ts"

const WARMUP_SECONDS = 2

export const INGEST = {
  edge: "(a) POST /payments, serve --roles edge",
  all: "(b) POST /payments, serve (all roles)",
  history: "(e) POST /payments, edge, seeded PAYMENTS history",
} as const

interface IngestPlan {
  readonly name: string
  readonly roles: "edge" | "all"
  /** Payments put in PAYMENTS before the load (the history scenario). */
  readonly seeded: (ctx: BenchContext) => number
  readonly target: (ratio: number, ctx: BenchContext) => { text: string; met: boolean }
}

/** Payment load of one run against `server`; `tag` keeps idempotency keys unique across runs. */
const paymentLoad = (ctx: BenchContext, server: ServerProcess, fleet: Fleet, tag: string, seconds: number, recordIds: boolean) =>
  runLoad({
    origin: server.origin, driver: "autocannon", connections: ctx.connections, durationSeconds: seconds,
    request: { kind: "payments", kiosks: fleet.kiosks, recordIds }, tag,
  }, ctx.signal)

const rate = (r: LoadResult) => r.ok / r.seconds

function summary(name: string, results: ReadonlyArray<LoadResult>): Row {
  const runs = results.map(rate)
  return {
    name, unit: "req", perSecond: median(runs), runs,
    latencyMs: percentiles(results.flatMap((r) => r.latencyMs)),
  }
}

function ingest(plan: IngestPlan) {
  return defineScenario({
    name: plan.name,
    async run(ctx) {
      const { settings } = ctx
      const names = naming(settings.namespace)
      ctx.note(`registering ${ctx.kiosks} kiosks`)
      const fleet = await registerFleet(settings, ctx.kiosks, ctx.note)
      const nats = await connectNats(settings, "bench-ingest")
      const servers: Array<ServerProcess> = []
      try {
        const seeded = plan.seeded(ctx)
        const seed = seeded > 0
          ? await seedPayments({ natsUrl: settings.natsUrl, names, payments: seeded, kioskIds: fleet.kiosks.map((k) => k.id), signal: ctx.signal })
          : undefined
        const startSeq = (await nats.jsm.streams.info(names.stream("PAYMENTS"))).state.last_seq

        ctx.note(`starting the naive route and serve --roles ${plan.roles}`)
        const naive = await startNaiveRoute({ natsUrl: settings.natsUrl, namespace: settings.namespace })
        servers.push(naive)
        const ours = await startServe({ roles: plan.roles, env: ctx.env })
        servers.push(ours)
        const idleMiB = await ours.rssMiB()

        // Warm-up (JIT, pools, connections): not measured; its payments are checked like the others.
        ctx.note("warming up")
        const warm = [await paymentLoad(ctx, naive, fleet, "warm-naive", WARMUP_SECONDS, false),
          await paymentLoad(ctx, ours, fleet, "warm", WARMUP_SECONDS, true)]

        const memory = watchMemory(ours)
        let cpuSeconds = 0
        let naiveCpuSeconds = 0
        let settledSeconds = 0
        const naiveRuns: Array<LoadResult> = []
        const ourRuns: Array<LoadResult> = []
        await untilQuiet(ours)
        for (let run = 1; run <= ctx.runs && !ctx.signal.aborted; run++) {
          if (run > 1) {
            // What the run left (all roles: projecting, notifying) is part of a payment's cost, and no naive run
            // may share the machine with it.
            const settled = await untilQuiet(ours)
            settledSeconds = Math.max(settledSeconds, settled.seconds)
            cpuSeconds += settled.cpuSeconds
          }
          ctx.note(`run ${run}/${ctx.runs}: naive route`)
          const naiveCpuBefore = await naive.cpuSeconds()
          naiveRuns.push(await paymentLoad(ctx, naive, fleet, `naive-${run}`, ctx.durationMs / 1000, false))
          naiveCpuSeconds += (await naive.cpuSeconds()) - naiveCpuBefore
          ctx.note(`run ${run}/${ctx.runs}: serve --roles ${plan.roles}`)
          const cpuBefore = await ours.cpuSeconds()
          ourRuns.push(await paymentLoad(ctx, ours, fleet, `run-${run}`, ctx.durationMs / 1000, true))
          cpuSeconds += (await ours.cpuSeconds()) - cpuBefore
        }
        const last = await untilQuiet(ours)
        settledSeconds = Math.max(settledSeconds, last.seconds)
        cpuSeconds += last.cpuSeconds
        const rss = memory.stop()

        // Checks.
        const oursAll = [warm[1]!, ...ourRuns]
        const answered = answeredPaymentIds(oursAll)
        const ourStatus = totals(oursAll)
        const naiveStatus = totals([warm[0]!, ...naiveRuns])
        const maxPerKiosk = Math.max(...oursAll.map((r) => r.maxPerKiosk ?? 0))
        const sentPerKiosk = oursAll.reduce((sum, r) => sum + (r.maxPerKiosk ?? 0), 0)
        const limitNote = `edge limit ${DEFAULT_LIMITS.kioskPerMinute} req/min per kiosk; ${fleet.kiosks.length} kiosks, ` +
          `at most ${maxPerKiosk} requests from one kiosk in one run and ${sentPerKiosk} over all runs`
        ctx.note("checking PAYMENTS")
        const appended = await paymentsAppendedAfter(nats.js, nats.jsm, names, startSeq)
        const checks: Array<Check> = [
          onlySuccess(`serve --roles ${plan.roles}`, ourStatus.codes, ourStatus.errors, limitNote),
          onlySuccess("naive route", naiveStatus.codes, naiveStatus.errors, "no auth, no limit"),
          inStreamOnce(answered, appended.counts),
        ]
        if (seeded > 0) {
          checks.push({
            name: "every 2xx payment in the read model once", ok: true,
            detail: `not checked here: the ${seeded.toLocaleString("en")} seeded payments would have to be projected first ((a) and (b) check it)`,
          })
        } else {
          ctx.note("checking the read model")
          // The edge role has no projector: one starts now and catches up, as a deployment's projector would.
          const projector = plan.roles === "all" ? undefined : await startServe({ roles: "projector", env: ctx.env })
          if (projector) servers.push(projector)
          checks.push(await inReadModelOnce(settings.databaseUrl, names, answered, appended.lastSeq))
        }

        const naiveRow: Row = {
          ...summary(`naive route (alternating with ${plan.name.slice(0, 3)})`, naiveRuns),
          notes: { cpuMsPerRequest: Number(((naiveCpuSeconds * 1000) / Math.max(1, naiveRuns.reduce((sum, r) => sum + r.ok, 0))).toFixed(3)) },
        }
        const pairRatios = ourRuns.map((r, i) => rate(r) / rate(naiveRuns[i]!))
        const ratio = median(pairRatios)
        const ourRow = summary(plan.name, ourRuns)
        const payments = ourRuns.reduce((sum, r) => sum + r.ok, 0)
        return [naiveRow, {
          ...ourRow,
          ceiling: naiveRow.name,
          ratio,
          target: plan.target(ratio, ctx),
          checks,
          notes: {
            pairRatios: pairRatios.map((r) => r.toFixed(2)).join(" "),
            kiosks: fleet.kiosks.length,
            connections: ctx.connections,
            rssIdleMiB: Math.round(idleMiB),
            rssPeakMiB: rss.peakMiB,
            rssMeanMiB: rss.meanMiB,
            // Counting what the process did after each run until it went quiet (all roles: the read side's share).
            cpuMsPerPayment: Number(((cpuSeconds * 1000) / Math.max(1, payments)).toFixed(3)),
            settledAfterRunS: Number(settledSeconds.toFixed(1)),
            logLevel: ctx.env.LOG_LEVEL ?? "info",
            ...(seed ? { seeded, seedPerSecond: Math.round(seed.perSecond) } : {}),
          },
        }]
      } finally {
        for (const server of servers.reverse()) await server.stop()
        await closeNats(nats)
      }
    },
  })
}

export default [
  ingest({
    name: INGEST.edge, roles: "edge", seeded: () => 0,
    target: (ratio) => ({ text: "≥ 0.70 × naive route", met: ratio >= 0.7 }),
  }),
  ingest({
    name: INGEST.all, roles: "all", seeded: () => 0,
    target: (ratio) => ({ text: "≥ 0.50 × naive route", met: ratio >= 0.5 }),
  }),
  ingest({
    name: INGEST.history, roles: "edge", seeded: (ctx) => ctx.seedPayments,
    target: (ratio, ctx) => {
      const first = ctx.earlier(INGEST.edge)?.ratio
      return first === undefined
        ? { text: "≥ 0.9 × (a)'s ratio ((a) not run)", met: false }
        : { text: `ratio ≥ 0.9 × (a)'s (here ${(ratio / first).toFixed(2)} ×)`, met: ratio >= 0.9 * first }
    },
  }),
]
