// Request ids: taken from the caller's X-Request-Id when it is sane, else made here; echoed on every response,
// stamped on every log line, and passed to command handlers as the events' correlation id.
import type { IncomingMessage } from "node:http"
import type { FastifyInstance, FastifyRequest } from "fastify"
import fp from "fastify-plugin"
import type { CommandContext } from "../../commands/index.ts"
import { newId } from "../../platform/index.ts"
import { actorOf } from "../auth/access.ts"
import { principalOf } from "../auth/authenticate.ts"

export const REQUEST_ID_HEADER = "x-request-id"

/** Fastify's `genReqId`: a caller's id is kept only if short and plain, so it cannot inject into logs or subjects. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER]
  return typeof given === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : newId("req")
}

/** Who acts and in answer to which request: what a route hands to a command handler. */
export function commandContext(request: FastifyRequest): CommandContext {
  return { actor: actorOf(principalOf(request)), correlationId: request.id }
}

export const requestContextPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onRequest", async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id)
    })
  },
  { name: "admin-kiosk-request-context", fastify: "5.x" },
)
