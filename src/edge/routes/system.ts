// Probes and metrics: /healthz (the process answers), /readyz (its dependencies do), /metrics (Prometheus).
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { registry } from "../../platform/metrics.ts"
import { sendProblem } from "../problems.ts"
import type { Readiness } from "../readiness.ts"
import { isReady } from "../readiness.ts"
import { addRoute } from "../route.ts"

const Check = Schema.Struct({ ok: Schema.Boolean, detail: Schema.optionalKey(Schema.String) })

export async function systemRoutes(app: FastifyInstance, options: { readonly readiness: Readiness }) {
  addRoute(app, {
    method: "GET",
    url: "/healthz",
    summary: "Liveness: the process is up",
    access: "public",
    schemas: { responses: { 200: Schema.Struct({ status: Schema.Literal("ok") }) } },
    handler: async () => ({ status: "ok" as const }),
  })

  addRoute(app, {
    method: "GET",
    url: "/readyz",
    summary: "Readiness: NATS, the event streams and Postgres are reachable",
    description: "503 (problem+json with a `checks` member) while any dependency is missing.",
    access: "public",
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

  addRoute(app, {
    method: "GET",
    url: "/metrics",
    summary: "Prometheus metrics of this process",
    access: "public",
    hidden: true,
    schemas: { responses: { 200: Schema.String }, produces: "text/plain" },
    handler: async (_request, reply) => {
      reply.type(registry.contentType)
      return registry.metrics()
    },
  })
}
