// `admin-kiosk serve`: the long-running process. By default every role in one process (the edge, the
// projectors, the workers); `--roles` picks some, so that a deployment can scale each on its own.
// Roles start read side first and edge last (traffic arrives once everything is up) and stop in reverse:
// the edge stops taking requests and finishes those in flight before anything under it goes away.
import type { AppSettings } from "../../platform/config.ts"
import type { Logger } from "../../platform/logger.ts"
import { defineCommand, parseOptions, UsageError } from "../command.ts"

interface Running {
  stop(): Promise<void>
}

interface Role {
  readonly summary: string
  start(settings: AppSettings, log: Logger): Promise<Running>
}

// Heavy modules (Fastify, Kysely, NATS) load inside `start`, so `--help` and other commands stay fast.
const ROLES = {
  projector: {
    summary: "projectors: durable consumers that keep the Postgres read models",
    async start(settings) {
      const { ManagedRuntime } = await import("effect")
      const { readSideDeps, readSideLayer, startProjectors } = await import("../../projections/index.ts")
      const { provisionStreams } = await import("../../commands/index.ts")
      const runtime = ManagedRuntime.make(readSideLayer(settings, "projector"))
      try {
        const deps = await runtime.runPromise(readSideDeps)
        // A projector deployed on its own may start before any writer: the streams it reads must exist.
        await provisionStreams(deps.nats.jsm, deps.names)
        const running = await startProjectors(deps)
        return { stop: () => running.stop().finally(() => runtime.dispose()) }
      } catch (error) {
        await runtime.dispose()
        throw error
      }
    },
  },
  notifier: {
    summary: "notifier: turns payments and kiosk events into email/SMS/push, and delivers them",
    async start(settings, log) {
      const { startNotifier } = await import("../../workers/notifier/index.ts")
      const running = await startNotifier(settings, { log: log.child({ role: "notifier" }) })
      return { stop: () => running.stop() }
    },
  },
  "offline-detector": {
    summary: "offline detector: marks kiosks offline when their heartbeats stop, and online when they return",
    async start(settings, log) {
      const { startOfflineDetector } = await import("../../workers/offlineDetector/index.ts")
      const running = await startOfflineDetector(settings, { log: log.child({ role: "offline-detector" }) })
      return { stop: () => running.stop() }
    },
  },
  edge: {
    summary: "edge: the HTTP API (Fastify) on HOST:PORT",
    async start(settings, log) {
      const { openEdge } = await import("../../edge/index.ts")
      const edge = await openEdge(settings, { logger: log.child({ role: "edge" }) })
      try {
        await edge.app.listen({ host: settings.host, port: settings.port })
      } catch (error) {
        await edge.close()
        throw error
      }
      return { stop: () => edge.close() }
    },
  },
} satisfies Record<string, Role>

type RoleName = keyof typeof ROLES
const ALL = Object.keys(ROLES) as Array<RoleName>

/** Groups a deployment names instead of listing roles: `worker` is every effect outside the system. */
const GROUPS: Record<string, ReadonlyArray<RoleName>> = { all: ALL, worker: ["notifier", "offline-detector"] }

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
${ALL.map((r) => `  ${r.padEnd(10)} ${ROLES[r].summary}`).join("\n")}

Options:
  --roles LIST   comma-separated roles to run (default all; worker = notifier,offline-detector)

Configuration comes from the environment (NATS_URL, DATABASE_URL, HOST, PORT, JWT_SECRET, …).
SIGINT/SIGTERM stops gracefully: the edge first (in-flight requests finish), then the rest;
NATS is drained and the Postgres pools are closed.`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { roles: { type: "string", default: "all" } })
    const roles = parseRoles(values.roles)
    const settings = await ctx.settings()
    const { makeLogger } = await import("../../platform/logger.ts")
    const log = makeLogger(settings, "serve")

    const started: Array<{ role: RoleName; running: Running }> = []
    try {
      for (const role of roles) {
        if (ctx.signal.aborted) break
        started.push({ role, running: await ROLES[role].start(settings, log) })
        log.info({ role }, "role started")
      }
      if (!ctx.signal.aborted) {
        log.info({ roles, host: settings.host, port: settings.port, namespace: settings.namespace }, "serving")
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }))
      }
    } finally {
      for (const { role, running } of started.reverse()) {
        await running.stop().then(
          () => log.info({ role }, "role stopped"),
          (error: unknown) => log.error({ role, err: error }, "role did not stop cleanly"),
        )
      }
    }
  },
})
