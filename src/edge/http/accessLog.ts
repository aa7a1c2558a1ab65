// The access log: Fastify's own two lines per request (at info) are off; instead one line per answered request at
// debug, and at info only a sample (1 in ACCESS_LOG_SAMPLE_EVERY), so a busy edge does not spend its time writing
// logs. Failures are logged where they are mapped (problems.ts: 5xx at error, dependencies down at warn).
import type { FastifyInstance } from "fastify"
import fp from "fastify-plugin"

export const ACCESS_LOG_SAMPLE_EVERY = 1_000

export const accessLogPlugin = fp(
  async (app: FastifyInstance) => {
    let answered = 0
    const debug = app.log.level === "debug" || app.log.level === "trace"
    app.addHook("onResponse", async (request, reply) => {
      if (!debug && ++answered % ACCESS_LOG_SAMPLE_EVERY !== 0) return
      const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }
      if (debug) request.log.debug(line, "request completed")
      else request.log.info({ ...line, sampled: ACCESS_LOG_SAMPLE_EVERY }, "request completed (1 in each sample is logged)")
    })
  },
  { name: "admin-kiosk-access-log", fastify: "5.x" },
)
