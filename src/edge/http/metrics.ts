// Request rate and latency by route template and status, into the process's one registry (/metrics serves it).
import type { FastifyInstance } from "fastify"
import fp from "fastify-plugin"
import { counter, histogram } from "../../platform/index.ts"

const requestDuration = histogram(
  "http_request_duration_seconds",
  "HTTP requests by method, route template and status; its _count is the request rate",
  ["method", "route", "status"],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
)

const commandOutcomes = counter(
  "commands_total",
  "Commands the edge ran, by command and outcome (ok, or the refusal: NotFound, Conflict, Forbidden, Invalid, …)",
  ["command", "outcome"],
)
const commandDuration = histogram("command_duration_seconds", "Time to decide and append one command, by command", ["command"],
  [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])

const KNOWN_REFUSALS = new Set(["NotFound", "Conflict", "Forbidden", "Invalid", "Unauthorized", "NotReady", "StoreUnavailable"])

/** Runs a command and counts how it ended; a failure we did not type counts as "defect". */
export async function observeCommand<A>(command: string, run: () => Promise<A>): Promise<A> {
  const started = performance.now()
  try {
    const result = await run()
    commandOutcomes.inc({ command, outcome: "ok" })
    return result
  } catch (error) {
    const tag = (error as { _tag?: unknown } | undefined)?._tag
    commandOutcomes.inc({ command, outcome: typeof tag === "string" && KNOWN_REFUSALS.has(tag) ? tag : "defect" })
    throw error
  } finally {
    commandDuration.observe({ command }, (performance.now() - started) / 1000)
  }
}

export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onResponse", async (request, reply) => {
      // The template (/kiosks/:id), never the raw URL: ids in labels would grow the series without bound.
      const route = request.routeOptions.url ?? "unmatched"
      requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    })
  },
  { name: "admin-kiosk-http-metrics", fastify: "5.x" },
)
