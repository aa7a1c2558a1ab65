// Rate limits shared by routes: kiosks are limited per device (after the guard has said which one), people and
// anonymous callers per address.
import type { RateLimitOptions } from "@fastify/rate-limit"
import type { FastifyInstance, FastifyRequest } from "fastify"

export const perCallerLimit = (app: FastifyInstance): RateLimitOptions => ({
  max: app.limits.kioskPerMinute,
  timeWindow: 60_000,
  hook: "preHandler",
  keyGenerator: (request: FastifyRequest) => request.principal?.id ?? request.ip,
})
