// The roles `serve` runs, how each starts, and how a list of them starts and stops in order. Both threads of a
// `serve` that runs the edge beside other roles use this: the main thread for the edge, the read side's worker
// thread (readSideThread.ts) for the rest.
import type { AppSettings, Logger, Readiness, ReadinessReport } from "../../platform/index.ts"
import { type CliRuntime, UsageError } from "../command.ts"

export interface Running {
  /** This role's own readiness (consumers bound, lag known, dependencies answering). */
  readonly readiness: Readiness
  stop(): Promise<void>
}

interface Role {
  readonly summary: string
  start(runtime: CliRuntime, settings: AppSettings, log: Logger): Promise<Running>
}

/** A worker role: its module loaded when it starts, then started on the runtime with a logger named after it. */
function worker(name: string, summary: string, load: () => Promise<(runtime: CliRuntime, options: { readonly log: Logger }) => Promise<Running>>): Role {
  return { summary, start: async (runtime, _settings, log) => (await load())(runtime, { log: log.child({ role: name }) }) }
}

// Heavy modules (Fastify, Kysely, NATS) load inside `start`, so `--help` and other commands stay fast.
export const ROLES = {
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
  notifier: worker("notifier", "notifier: turns payments and kiosk events into email/SMS/push, and delivers them",
    async () => (await import("../../workers/notifier/index.ts")).startNotifier),
  "offline-detector": worker("offline-detector", "offline detector: marks kiosks offline when their heartbeats stop, and online when they return",
    async () => (await import("../../workers/offlineDetector/index.ts")).startOfflineDetector),
  forecaster: worker("forecaster", "forecaster: refits each kiosk's sales forecast as its payments arrive, and every new day",
    async () => (await import("../../workers/forecaster/index.ts")).startForecaster),
  sealer: worker("sealer", "sealer: seals PAYMENTS into AUDIT (range, count, chained digest, signed) for audit verify",
    async () => (await import("../../workers/sealer/index.ts")).startSealer),
  reconciler: worker("reconciler", "reconciler: daily, PAYMENTS replayed against the payments read model, the result recorded on AUDIT",
    async () => (await import("../../workers/reconciler/index.ts")).startReconciler),
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

export type RoleName = keyof typeof ROLES
const ALL = Object.keys(ROLES) as Array<RoleName>
/** Every role `serve --roles` runs, in start order. */
export const ROLE_NAMES: ReadonlyArray<RoleName> = ALL

/** Groups a deployment names instead of listing roles: `worker` is every effect outside the system. */
export const ROLE_GROUPS: Readonly<Record<string, ReadonlyArray<RoleName>>> = { all: ALL, worker: ["notifier", "offline-detector", "forecaster", "sealer", "reconciler"] }

export function parseRoles(text: string): ReadonlyArray<RoleName> {
  const asked = text.split(",").map((r) => r.trim()).filter(Boolean).flatMap((r): ReadonlyArray<string> => ROLE_GROUPS[r] ?? [r])
  const unknown = asked.filter((r) => !(r in ROLES))
  if (asked.length === 0 || unknown.length > 0) {
    throw new UsageError(`--roles: unknown role ${unknown.join(", ") || "(none)"}; choose from ${ALL.join(", ")}, worker or all`)
  }
  // Start in the table's order whatever order they were asked in.
  return ALL.filter((r) => asked.includes(r))
}

/** Roles started in order on one runtime, to be stopped in reverse. */
export interface StartedRoles {
  readonly names: ReadonlyArray<RoleName>
  /** Every started role's checks, each named after its role (`projector:lag`). */
  readiness(): Promise<ReadinessReport>
  /** Stops them in reverse start order; a role that fails to stop is logged and the others still stop. */
  stop(): Promise<void>
}

/**
 * Starts `roles` one after another, until all run or `stopping()` says to stop asking. A role that fails to start
 * stops the ones before it, then the error is thrown.
 */
export async function startRoles(
  roles: ReadonlyArray<RoleName>, runtime: CliRuntime, settings: AppSettings, log: Logger, stopping: () => boolean,
): Promise<StartedRoles> {
  const started: Array<{ role: RoleName; running: Running }> = []
  const stop = async () => {
    for (const { role, running } of started.toReversed()) {
      await running.stop().then(
        () => log.info({ role }, "role stopped"),
        (error: unknown) => log.error({ role, err: error }, "role did not stop cleanly"),
      )
    }
    started.length = 0
  }
  try {
    for (const role of roles) {
      if (stopping()) break
      started.push({ role, running: await ROLES[role].start(runtime, settings, log) })
      log.info({ role }, "role started")
    }
  } catch (error) {
    await stop()
    throw error
  }
  const { mergeReports } = await import("../../platform/index.ts")
  return {
    names: started.map((s) => s.role),
    readiness: async () => mergeReports(await Promise.all(started.map(async ({ role, running }) => [role, await running.readiness()] as const))),
    stop,
  }
}
