// `admin-kiosk serve`: the long-running process. By default every role in one process (the edge, the
// projectors, the workers); `--roles` picks some, so that a deployment can scale each on its own.
// Roles start read side first and edge last (traffic arrives once everything is up) and stop in reverse:
// the edge stops taking requests and finishes those in flight before anything under it goes away.
// Whatever the roles, the process serves the ops port (METRICS_PORT): /healthz, /readyz (every role's own
// readiness) and /metrics, from before the first role starts until after the last one stopped.
// Every role runs on the process's one runtime (ctx.runtime: one NATS connection, one Postgres pool per role),
// which main disposes once the last role stopped.
import type { AppSettings, Logger, Readiness, ReadinessReport } from "../../platform/index.ts"
import { type CliRuntime, defineCommand, parseOptions, UsageError } from "../command.ts"

interface Running {
  /** This role's own readiness (consumers bound, lag known, dependencies answering). */
  readonly readiness: Readiness
  stop(): Promise<void>
}

interface Role {
  readonly summary: string
  start(runtime: CliRuntime, settings: AppSettings, log: Logger): Promise<Running>
}

// Heavy modules (Fastify, Kysely, NATS) load inside `start`, so `--help` and other commands stay fast.
const ROLES = {
  projector: {
    summary: "projectors: durable consumers that keep the Postgres read models",
    async start(runtime, settings) {
      const { readSideDeps, startProjectors, withRolePool } = await import("../../projections/index.ts")
      const { provisionStreams } = await import("../../commands/index.ts")
      const deps = await runtime.runPromise(withRolePool("projector")(readSideDeps))
      // A projector deployed on its own may start before any writer: the streams it reads must exist.
      await provisionStreams(deps.nats.jsm, deps.names, { replicas: settings.streamReplicas, log: deps.logger })
      const running = await startProjectors(deps)
      return { readiness: running.readiness, stop: () => running.stop() }
    },
  },
  notifier: {
    summary: "notifier: turns payments and kiosk events into email/SMS/push, and delivers them",
    async start(runtime, _settings, log) {
      const { startNotifier } = await import("../../workers/notifier/index.ts")
      return startNotifier(runtime, { log: log.child({ role: "notifier" }) })
    },
  },
  "offline-detector": {
    summary: "offline detector: marks kiosks offline when their heartbeats stop, and online when they return",
    async start(runtime, _settings, log) {
      const { startOfflineDetector } = await import("../../workers/offlineDetector/index.ts")
      return startOfflineDetector(runtime, { log: log.child({ role: "offline-detector" }) })
    },
  },
  forecaster: {
    summary: "forecaster: refits each kiosk's sales forecast as its payments arrive, and every new day",
    async start(runtime, _settings, log) {
      const { startForecaster } = await import("../../workers/forecaster/index.ts")
      return startForecaster(runtime, { log: log.child({ role: "forecaster" }) })
    },
  },
  sealer: {
    summary: "sealer: seals PAYMENTS into AUDIT (range, count, chained digest, signed) for audit verify",
    async start(runtime, _settings, log) {
      const { startSealer } = await import("../../workers/sealer/index.ts")
      return startSealer(runtime, { log: log.child({ role: "sealer" }) })
    },
  },
  reconciler: {
    summary: "reconciler: daily, PAYMENTS replayed against the payments read model, the result recorded on AUDIT",
    async start(runtime, _settings, log) {
      const { startReconciler } = await import("../../workers/reconciler/index.ts")
      return startReconciler(runtime, { log: log.child({ role: "reconciler" }) })
    },
  },
  edge: {
    summary: "edge: the HTTP API (Fastify), WebSocket and console on HOST:PORT",
    async start(runtime, settings, log) {
      const { openEdge } = await import("../../edge/index.ts")
      const { PortInUse } = await import("../../platform/index.ts")
      const edge = await openEdge(runtime, { logger: log.child({ role: "edge" }) })
      try {
        await edge.app.listen({ host: settings.host, port: settings.port })
      } catch (error) {
        await edge.close()
        throw (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? new PortInUse(settings.port, "PORT") : error
      }
      return { readiness: edge.readiness, stop: () => edge.close() }
    },
  },
} satisfies Record<string, Role>

type RoleName = keyof typeof ROLES
const ALL = Object.keys(ROLES) as Array<RoleName>
/** Every role `serve --roles` runs, in start order. */
export const ROLE_NAMES: ReadonlyArray<string> = ALL

/** Groups a deployment names instead of listing roles: `worker` is every effect outside the system. */
export const ROLE_GROUPS: Readonly<Record<string, ReadonlyArray<RoleName>>> = { all: ALL, worker: ["notifier", "offline-detector", "forecaster", "sealer", "reconciler"] }
const GROUPS = ROLE_GROUPS

export function parseRoles(text: string): ReadonlyArray<RoleName> {
  const asked = text.split(",").map((r) => r.trim()).filter(Boolean).flatMap((r): ReadonlyArray<string> => GROUPS[r] ?? [r])
  const unknown = asked.filter((r) => !(r in ROLES))
  if (asked.length === 0 || unknown.length > 0) {
    throw new UsageError(`--roles: unknown role ${unknown.join(", ") || "(none)"}; choose from ${ALL.join(", ")}, worker or all`)
  }
  // Start in the table's order whatever order they were asked in.
  return ALL.filter((r) => asked.includes(r))
}

export default defineCommand({
  name: "serve",
  summary: "Run the edge, projectors and workers (all in one process, or --roles to pick)",
  usage: `Usage: admin-kiosk serve [--roles all|ROLE,ROLE…]

Roles:
${ALL.map((r) => `  ${r.padEnd(16)} ${ROLES[r].summary}`).join("\n")}

Options:
  --roles LIST   comma-separated roles to run (default all; worker = notifier,offline-detector,forecaster,sealer,reconciler)

Every role serves /healthz, /readyz and /metrics on HOST:METRICS_PORT (default 9464; 0 = any
free port, logged), for probes and Prometheus; the edge's PORT serves /healthz and /readyz too.

Configuration comes from the environment (NATS_URL, DATABASE_URL, HOST, PORT, METRICS_PORT,
STREAM_REPLICAS, JWT_SECRET, …). SIGINT/SIGTERM stops gracefully: the edge first (in-flight
requests finish), then the rest; NATS is drained and the Postgres pools are closed.`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { roles: { type: "string", default: "all" } })
    const roles = parseRoles(values.roles)
    const settings = await ctx.settings()
    const runtime = await ctx.runtime()
    // The platform (pino, prom-client, NATS) loads only when a role runs, so that `--help` stays fast.
    const { makeLogger, mergeReports, startOpsServer } = await import("../../platform/index.ts")
    const log = makeLogger(settings, "serve")

    const started: Array<{ role: RoleName; running: Running }> = []
    let allStarted = false
    const readiness = async (): Promise<ReadinessReport> => {
      if (!allStarted) return { roles: { ok: false, detail: "starting" } }
      return mergeReports(await Promise.all(started.map(async ({ role, running }) => [role, await running.readiness()] as const)))
    }
    const ops = await startOpsServer({ host: settings.host, port: settings.metricsPort, readiness })
    log.info({ host: settings.host, port: ops.port }, "ops port: /healthz, /readyz, /metrics")
    try {
      for (const role of roles) {
        if (ctx.signal.aborted) break
        started.push({ role, running: await ROLES[role].start(runtime, settings, log) })
        log.info({ role }, "role started")
      }
      if (!ctx.signal.aborted) {
        allStarted = true
        log.info({ roles, host: settings.host, port: settings.port, metricsPort: ops.port, namespace: settings.namespace }, "serving")
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }))
      }
    } finally {
      allStarted = false
      for (const { role, running } of started.reverse()) {
        await running.stop().then(
          () => log.info({ role }, "role stopped"),
          (error: unknown) => log.error({ role, err: error }, "role did not stop cleanly"),
        )
      }
      await ops.close()
    }
  },
})
