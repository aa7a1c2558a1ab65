// (f) Logins per second, and what they do to payments: against `serve --roles edge`, payments paced at half of
// (a)'s rate, first alone (the "p99 at half load" figure; the same paced generator against the naive route at that
// rate gives this machine's own p99 there), then with logins running flat out beside them. Logins
// come each on a new connection from its own loopback address, since the edge limits logins per client address.
// Each paced run starts with an unmeasured warm-up at its own rate, the naive route's too.
import { availableParallelism } from "node:os"
import { DEFAULT_LIMITS } from "../../src/edge/index.ts"
import { closeNats, connectNats, naming } from "../../src/platform/index.ts"
import { CEILING } from "../ceilings.ts"
import { inStreamOnce, onlySuccess, paymentsAppendedAfter } from "../checks/paymentsOnce.ts"
import { registerFleet } from "../fixtures/fleet.ts"
import { answeredPaymentIds, runLoad, totals } from "../load/runLoad.ts"
import { defineScenario, type Row } from "../scenario.ts"
import { percentiles } from "../support/measure.ts"
import { untilQuiet } from "../support/quiet.ts"
import { startNaiveRoute } from "../targets/naiveRoute.ts"
import { startServe } from "../targets/serve.ts"
import { INGEST } from "./ingest.ts"

/** Payments per second when (a) did not run in this bench (e.g. --only). */
const FALLBACK_RATE = 100
const LOGIN_CONNECTIONS = 8
const P99_TARGET_MS = 25
/** Each paced run's unmeasured lead-in at its own rate (see LoadSpec.warmupSeconds): past both ends' JIT warm-up. */
const WARMUP_SECONDS = 6

export default defineScenario({
  name: "(f) logins, and payments at half load beside them",
  async run(ctx) {
    const { settings } = ctx
    const names = naming(settings.namespace)
    const edgeRate = ctx.earlier(INGEST.edge)?.perSecond
    const rate = ctx.pacedRate ?? Math.max(10, Math.round(edgeRate !== undefined ? edgeRate / 2 : FALLBACK_RATE))
    const rateNote = ctx.pacedRate !== undefined ? "given (--paced-rate)"
      : edgeRate !== undefined ? `half of (a)'s ${Math.round(edgeRate)} req/s` : `(a) not run: a fixed ${FALLBACK_RATE}/s`
    ctx.note(`registering ${ctx.kiosks} kiosks and an operator`)
    const fleet = await registerFleet(settings, ctx.kiosks, ctx.note)
    const nats = await connectNats(settings, "bench-logins")
    const edge = await startServe({ roles: "edge", env: ctx.env })
    try {
      const startSeq = (await nats.jsm.streams.info(names.stream("PAYMENTS"))).state.last_seq
      const seconds = ctx.durationMs / 1000
      const payments = (tag: string) => runLoad({
        origin: edge.origin, driver: "paced", ratePerSecond: rate, connections: ctx.connections, durationSeconds: seconds,
        warmupSeconds: WARMUP_SECONDS, request: { kind: "payments", kiosks: fleet.kiosks, recordIds: true }, tag,
      }, ctx.signal)

      // Each run starts on a quiet machine: an earlier scenario's leftovers (NATS writing (e)'s million seeded
      // payments) once held the edge at p50 337 ms here.
      const quiet = async () => {
        ctx.note("waiting for the edge and the machine to be quiet")
        await untilQuiet(edge)
      }
      await quiet()
      ctx.note(`payments alone, ${rate}/s`)
      const alone = await payments("alone")
      // The same paced generator against the naive route, at the same rate: what this machine's p99 is at that load
      // with nothing but a publish behind the route (the generator and NATS share the two cores too).
      await quiet()
      ctx.note(`the naive route at ${rate}/s, the same paced generator`)
      const naive = await startNaiveRoute({ natsUrl: settings.natsUrl, namespace: settings.namespace })
      const naiveAlone = await runLoad({
        origin: naive.origin, driver: "paced", ratePerSecond: rate, connections: ctx.connections, durationSeconds: seconds,
        warmupSeconds: WARMUP_SECONDS, request: { kind: "payments", kiosks: fleet.kiosks, recordIds: false }, tag: "naive-paced",
      }, ctx.signal).finally(() => naive.stop())
      await quiet()
      ctx.note(`payments at ${rate}/s with logins beside them`)
      const [beside, logins] = await Promise.all([
        payments("beside"),
        runLoad({
          // Logins run through the payments' warm-up too, so that they are beside every measured payment.
          origin: edge.origin, driver: "fresh-address", connections: LOGIN_CONNECTIONS, durationSeconds: WARMUP_SECONDS + seconds,
          request: { kind: "login", ...fleet.login }, tag: "login",
        }, ctx.signal),
      ])

      const appended = await paymentsAppendedAfter(nats.js, nats.jsm, names, startSeq)
      const answered = answeredPaymentIds([alone, beside])
      const limit = `edge limit ${DEFAULT_LIMITS.kioskPerMinute} req/min per kiosk, at most ${Math.max(alone.maxPerKiosk ?? 0, beside.maxPerKiosk ?? 0)} per kiosk per run`
      const paymentStatus = totals([alone, beside])
      const cores = availableParallelism()
      const loginRate = logins.ok / logins.seconds
      const argon2 = ctx.earlier(CEILING.argon2Verify)
      const paced = (name: string, r: typeof alone): Row => {
        const latencyMs = percentiles(r.latencyMs)
        return {
          name, unit: "req", perSecond: r.ok / r.seconds, latencyMs,
          target: { text: `p99 ≤ ${P99_TARGET_MS} ms`, met: latencyMs.p99 <= P99_TARGET_MS },
          notes: { pacedAt: `${rate}/s (${rateNote})`, latencyFrom: "each request's scheduled time" },
        }
      }
      const naiveLatency = percentiles(naiveAlone.latencyMs)
      return [
        {
          name: "naive route at the same paced rate", unit: "req", perSecond: naiveAlone.ok / naiveAlone.seconds, latencyMs: naiveLatency,
          notes: { pacedAt: `${rate}/s (${rateNote})`, latencyFrom: "each request's scheduled time" },
        },
        paced(`payments at half load, edge`, alone),
        {
          name: "(f) logins/s, edge, beside payments", unit: "logins", perSecond: loginRate, latencyMs: percentiles(logins.latencyMs),
          ...(argon2?.perSecond ? { ceiling: argon2.name, ratio: loginRate / argon2.perSecond } : {}),
          target: { text: `≥ 30/s per core (${30 * cores}/s)`, met: loginRate >= 30 * cores },
          notes: { perCore: Number((loginRate / cores).toFixed(1)), connections: LOGIN_CONNECTIONS, from: "a new connection and loopback address per login" },
          checks: [
            onlySuccess("logins", logins.statusCodes, logins.errors, `edge limit ${DEFAULT_LIMITS.loginPerMinute}/min per address, one login per address`),
          ],
        },
        {
          ...paced("(f) payments at half load while logins run", beside),
          checks: [
            onlySuccess("payments", paymentStatus.codes, paymentStatus.errors, limit),
            inStreamOnce(answered, appended.counts),
          ],
        },
      ]
    } finally {
      await edge.stop()
      await closeNats(nats)
    }
  },
})

