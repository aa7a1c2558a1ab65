// Rate limits shared by routes: kiosks are limited per device (after the guard has said which one), people and
// anonymous callers per address, pairing per user and per address.
import type { RateLimitOptions } from "@fastify/rate-limit"
import type { FastifyInstance, FastifyRequest } from "fastify"

export const perCallerLimit = (app: FastifyInstance): RateLimitOptions => ({
  max: app.limits.kioskPerMinute,
  timeWindow: 60_000,
  hook: "preHandler",
  keyGenerator: (request: FastifyRequest) => request.principal?.id ?? request.ip,
})

/**
 * Pairing: a label's secret has 80 bits, and these limits make guessing one hopeless anyway — per signed-in user
 * and per address, each its own count, so neither many accounts on one address nor one account on many helps.
 */
/** Callers each limiter remembers (least recently seen forgotten first): the memory stays bounded under a flood. */
const PAIRING_COUNTS = 10_000

export const pairingLimits = (app: FastifyInstance): ReadonlyArray<RateLimitOptions> => [
  { max: app.limits.pairPerUserPerMinute, timeWindow: 60_000, cache: PAIRING_COUNTS, keyGenerator: (request: FastifyRequest) => request.principal?.id ?? request.ip },
  { max: app.limits.pairPerAddressPerMinute, timeWindow: 60_000, cache: PAIRING_COUNTS },
]
