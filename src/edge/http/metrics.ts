// Request rate and latency by route template and status, into the process's one registry (/metrics serves it).
import type { FastifyInstance } from "fastify"
import fp from "fastify-plugin"
import { histogram } from "../../platform/metrics.ts"

const requestDuration = histogram(
  "http_request_duration_seconds",
  "HTTP requests by method, route template and status; its _count is the request rate",
  ["method", "route", "status"],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
)

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
