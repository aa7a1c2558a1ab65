// `admin-kiosk serve`: the long-running process. By default every role in one process (the edge, the
// projectors, the workers); `--roles` picks some, so that a deployment can scale each on its own.
// Roles start read side first and edge last (traffic arrives once everything is up) and stop in reverse:
// the edge stops taking requests and finishes those in flight before anything under it goes away.
// When the edge runs beside other roles, those run on a worker thread of this process (serve/readSideThread.ts),
// with their own runtime and a lower CPU priority, so that the edge's event loop does only the edge; otherwise
// every role runs on the process's one runtime (ctx.runtime: one NATS connection, one Postgres pool per role),
// which main disposes once the last role stopped.
// Whatever the roles, the main thread serves the ops port (METRICS_PORT): /healthz, /readyz (every role's own
// readiness, the thread's included) and /metrics (both threads'), from before the first role starts until after
// the last one stopped.
import type { ReadinessReport } from "../../platform/index.ts"
import { defineCommand, parseOptions } from "../command.ts"
import type { ReadSideThread } from "../serve/readSideThread.ts"
import { parseRoles, ROLE_GROUPS, ROLE_NAMES, ROLES, type StartedRoles } from "../serve/roles.ts"

export { parseRoles, ROLE_GROUPS, ROLE_NAMES }

export default defineCommand({
  name: "serve",
  summary: "Run the edge, projectors and workers (all in one process, or --roles to pick)",
  usage: `Usage: admin-kiosk serve [--roles all|ROLE,ROLE…]

Roles:
${ROLE_NAMES.map((r) => `  ${r.padEnd(16)} ${ROLES[r].summary}`).join("\n")}

Options:
  --roles LIST   comma-separated roles to run (default all; worker = notifier,offline-detector,forecaster,sealer,reconciler)

With the edge and other roles in one process, the others run on a worker thread of their own (a
second core), below the edge's priority on Linux (nice 10): under load, requests come first.
Every role serves /healthz, /readyz and /metrics on HOST:METRICS_PORT (default 9464; 0 = any
free port, logged), for probes and Prometheus; the edge's PORT serves /healthz and /readyz too.

Configuration comes from the environment (NATS_URL, DATABASE_URL, HOST, PORT, METRICS_PORT,
STREAM_REPLICAS, JWT_SECRET, …). SIGINT/SIGTERM stops gracefully: the edge first (in-flight
requests finish), then the rest; NATS is drained and the Postgres pools are closed.`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { roles: { type: "string", default: "all" } })
    const roles = parseRoles(values.roles)
    // The edge's event loop keeps to the edge: the other roles go to a worker thread when it runs beside them.
    const threaded = roles.includes("edge") && roles.length > 1
    const onThread = threaded ? roles.filter((r) => r !== "edge") : []
    const here = threaded ? (["edge"] as const) : roles
    const settings = await ctx.settings()
    const runtime = await ctx.runtime()
    // The platform (pino, prom-client, NATS) loads only when a role runs, so that `--help` stays fast.
    const { makeLogger, metricsText, registry, startOpsServer } = await import("../../platform/index.ts")
    const { startReadSideThread } = await import("../serve/readSideThread.ts")
    const { startRoles } = await import("../serve/roles.ts")
    const log = makeLogger(settings, "serve")

    let thread: ReadSideThread | undefined
    let main: StartedRoles | undefined
    let allStarted = false
    const readiness = async (): Promise<ReadinessReport> => {
      if (!allStarted) return { roles: { ok: false, detail: "starting" } }
      const [threadReport, mainReport] = await Promise.all([thread?.readiness() ?? {}, main?.readiness() ?? {}])
      return { ...threadReport, ...mainReport }
    }
    const metrics = async () => (thread ? metricsText(await thread.metrics()) : registry.metrics())
    const ops = await startOpsServer({ host: settings.host, port: settings.metricsPort, readiness, metrics })
    log.info({ host: settings.host, port: ops.port }, "ops port: /healthz, /readyz, /metrics")
    let crash: Error | undefined
    try {
      if (onThread.length > 0) {
        thread = await startReadSideThread(onThread, ctx.environment(), log, ctx.signal)
        log.info({ roles: thread.roles }, "roles started on the read side's thread")
      }
      main = await startRoles(here, runtime, settings, log, () => ctx.signal.aborted)
      if (!ctx.signal.aborted) {
        allStarted = true
        log.info({ roles, threaded, host: settings.host, port: settings.port, metricsPort: ops.port, namespace: settings.namespace }, "serving")
        const aborted = new Promise<undefined>((resolve) => ctx.signal.addEventListener("abort", () => resolve(undefined), { once: true }))
        crash = await Promise.race([aborted, thread?.crashed ?? aborted])
      }
    } finally {
      allStarted = false
      if (crash) log.fatal({ err: crash }, "the read side's thread crashed: stopping serve")
      await main?.stop()
      // A crashed thread has nothing left to stop.
      if (!crash) await thread?.stop().then(
        () => log.info({ roles: onThread }, "the read side's thread stopped"),
        (error: unknown) => log.error({ err: error }, "the read side's thread did not stop cleanly"),
      )
      await ops.close()
    }
    // Not half alive: the orchestrator restarts the whole process, as when a role on the main thread crashes.
    if (crash) throw crash
  },
})
