// A minimal edge for the live feed's tests and bench: Fastify on a loopback port with @fastify/jwt (HS256, a test
// secret) as the token verifier and the /ws plugin. The real edge wires the same plugin to its own auth.
import fastifyJwt from "@fastify/jwt"
import Fastify, { type FastifyInstance } from "fastify"
import type { EventStoreShape } from "../../../src/commands/index.ts"
import { registry } from "../../../src/platform/index.ts"
import { type LiveLimits, livePlugin } from "../../../src/edge/index.ts"
import { signTestToken } from "./tokens.ts"

export interface LiveEdge {
  readonly app: FastifyInstance
  readonly url: string
  readonly port: number
  /** An access token for this user (any edge started with the same secret accepts it). */
  token(user: { readonly id: string; readonly role: string }, ttlSeconds?: number): string
  close(): Promise<void>
}

export async function startLiveEdge(options: {
  readonly store: EventStoreShape
  readonly secret: string
  readonly limits?: Partial<LiveLimits>
  readonly port?: number
}): Promise<LiveEdge> {
  const app = Fastify({ logger: { level: process.env.LIVE_LOG_LEVEL ?? "warn" } })
  await app.register(fastifyJwt, { secret: options.secret, sign: { algorithm: "HS256" }, verify: { algorithms: ["HS256"] } })
  await app.register(livePlugin, {
    store: options.store,
    limits: options.limits ?? {},
    verifyAccessToken: async (token) => {
      const claims = app.jwt.verify<{ sub: string; role: string; exp: number }>(token)
      return { userId: claims.sub, role: claims.role, exp: claims.exp }
    },
  })
  app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    app,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    token: (user, ttlSeconds) => signTestToken(options.secret, user, ttlSeconds),
    close: () => app.close(),
  }
}
