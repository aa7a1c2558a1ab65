// Probes on the API port, for load balancers and ingress health checks: /healthz (the process answers) and
// /readyz (its dependencies do). /metrics is not here: the ops port (METRICS_PORT) serves it, never the public one.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { sendProblem } from "../problems.ts"
import { isReady, type Readiness } from "../../platform/index.ts"
import { addRoute } from "../route.ts"

const Check = Schema.Struct({ ok: Schema.Boolean, detail: Schema.optionalKey(Schema.String) })

export async function systemRoutes(app: FastifyInstance, options: { readonly readiness: Readiness }) {
  addRoute(app, {
    method: "GET",
    url: "/healthz",
    summary: "Liveness: the process is up",
    access: "public",
    dependsOn: [],
    schemas: { responses: { 200: Schema.Struct({ status: Schema.Literal("ok") }) } },
    handler: async () => ({ status: "ok" as const }),
  })

  addRoute(app, {
    method: "GET",
    url: "/readyz",
    summary: "Readiness: NATS, the event streams and Postgres are reachable",
    description: "503 (problem+json with a `checks` member) while any dependency is missing.",
    access: "public",
    // It reports on them rather than needing them: its own 503 carries the checks.
    dependsOn: [],
    schemas: { responses: { 200: Schema.Struct({ status: Schema.Literal("ready"), checks: Schema.Record(Schema.String, Check) }) } },
    handler: async (request, reply) => {
      const checks = await options.readiness()
      if (!isReady(checks)) {
        const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name)
        return sendProblem(request, reply, { _tag: "NotReady", message: `not ready: ${failing.join(", ")}`, retryAfterSeconds: 5, checks })
      }
      return { status: "ready" as const, checks }
    },
  })
}
