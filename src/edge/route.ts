// Declares a route from Effect Schemas: the JSON Schemas Fastify validates with (and OpenAPI shows) and the
// handler's TypeScript types both come from them, so the three can never disagree.
import type { RateLimitOptions } from "@fastify/rate-limit"
import { Schema } from "effect"
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify"
import type { Access } from "./auth/access.ts"
import { PROBLEM_CONTENT_TYPE, ProblemSchema, RateLimited } from "./problems.ts"
import { type JsonSchema, toJsonSchema } from "./schema.ts"

export interface RouteSchemas {
  readonly params?: Schema.Top
  readonly querystring?: Schema.Top
  readonly headers?: Schema.Top
  readonly body?: Schema.Top
  /** Success responses by status; `null` for a response without a body (204). */
  readonly responses: Readonly<Record<number, Schema.Top | null>>
  /** The media type(s) of the success body when it is not JSON (an SVG label, Prometheus text, NDJSON or CSV). */
  readonly produces?: string | ReadonlyArray<string>
}

type TypeOf<S> = S extends Schema.Top ? S["Type"] : unknown

export type RequestFor<S extends RouteSchemas> = FastifyRequest<{
  Params: TypeOf<S["params"]>
  Querystring: TypeOf<S["querystring"]>
  Headers: TypeOf<S["headers"]>
  Body: TypeOf<S["body"]>
}>

/** What a route cannot answer without; while one is down it answers 503 with Retry-After (problems.ts). */
export type Dependency = "NATS" | "Postgres"

export interface RouteSpec<S extends RouteSchemas> {
  readonly method: HTTPMethods
  readonly url: string
  readonly summary: string
  readonly description?: string
  readonly access: Access
  /** One limit, or several that must all allow the request (each counts on its own: per user and per address). */
  readonly rateLimit?: RateLimitOptions | ReadonlyArray<RateLimitOptions>
  readonly bodyLimit?: number
  readonly schemas: S
  readonly handler: (request: RequestFor<S>, reply: FastifyReply) => Promise<unknown>
  /**
   * What the route needs: NATS (the event store, the session store behind every signed-in request) and Postgres
   * (the read models). Default both; a route that needs neither (liveness, readiness) says `[]`.
   */
  readonly dependsOn?: ReadonlyArray<Dependency>
  /** Hide from the OpenAPI document (the document itself, /metrics). */
  readonly hidden?: boolean
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the route needs (RouteSpec.dependsOn); the edge refuses it at once with 503 while NATS is down. */
    dependsOn?: ReadonlyArray<Dependency>
  }
}

const problemJson = toJsonSchema(ProblemSchema, { closed: false })
const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemJson } } })

function security(access: Access) {
  if (access === "public") return []
  const users = access.some((c) => c !== "kiosk")
  const kiosks = access.includes("kiosk")
  return [...(users ? [{ userToken: [] }] : []), ...(kiosks ? [{ deviceToken: [] }] : [])]
}

function responses(spec: RouteSpec<RouteSchemas>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [status, schema] of Object.entries(spec.schemas.responses)) {
    const types = [spec.schemas.produces ?? "application/json"].flat()
    out[status] = schema === null
      ? { description: "Done", type: "null" }
      // Closed: the serializer writes only what is declared, and the console's generated types say exactly that.
      : { description: "Success", content: Object.fromEntries(types.map((type) => [type, { schema: toJsonSchema(schema, { closed: true }) }])) }
  }
  out["4xx"] = problemResponse("The request was refused: see the problem's type and detail")
  const needs = dependsOnOf(spec)
  if (needs.length > 0) {
    out["503"] = {
      ...problemResponse(`${needs.join(" or ")} is unavailable (or a read model has not caught up yet): ask again after Retry-After seconds`),
      headers: { "Retry-After": { description: "Seconds to wait before asking again", schema: { type: "integer", minimum: 1 } } },
    }
  }
  out["5xx"] = problemResponse("An unexpected failure")
  return out
}

/**
 * After ajv has validated a part against the JSON Schema, the Effect decoder turns it into the schema's Type: the
 * same checks, plus what JSON Schema cannot do (trimming, NFC). So a handler sees normalised text, and that is
 * what gets appended. A failure here would mean the two disagree: it is a 400 all the same.
 */
function decoderOf(schema: Schema.Top | undefined): ((value: unknown) => unknown) | undefined {
  return schema === undefined ? undefined : Schema.decodeUnknownSync(schema as Schema.Codec<unknown, unknown>)
}

const dependsOnOf = (spec: Pick<RouteSpec<RouteSchemas>, "dependsOn">): ReadonlyArray<Dependency> => spec.dependsOn ?? ["NATS", "Postgres"]

/**
 * The plugin runs one limiter per request, so further limits are checked here, each with its own bounded store:
 * after the guard (a root onRequest hook), so the principal is known, and before the route's own limit.
 */
function moreLimitsHook(app: FastifyInstance, limits: ReadonlyArray<RateLimitOptions>) {
  // Made at the first request: an app built only for its OpenAPI document has no rate-limit plugin.
  let checks: Array<ReturnType<FastifyInstance["createRateLimit"]>> | undefined
  return async (request: FastifyRequest) => {
    checks ??= limits.map((limit) => app.createRateLimit(limit))
    for (const check of checks) {
      const outcome = await check(request)
      if (!outcome.isAllowed && outcome.isExceeded) {
        throw new RateLimited({ message: `rate limit of ${outcome.max} requests per ${outcome.timeWindow / 1000} s exceeded`, retryAfterSeconds: outcome.ttlInSeconds })
      }
    }
  }
}

export function addRoute<S extends RouteSchemas>(app: FastifyInstance, spec: RouteSpec<S>): void {
  const { params, querystring, headers, body } = spec.schemas
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.hidden ? { hide: true } : {}),
    security: security(spec.access),
    response: responses(spec as RouteSpec<RouteSchemas>),
  }
  const parts: Array<[string, Schema.Top | undefined, boolean]> = [
    ["params", params, false],
    ["querystring", querystring, false],
    ["headers", headers, false],
    ["body", body, true],
  ]
  for (const [part, s, closed] of parts) if (s !== undefined) schema[part] = toJsonSchema(s, { closed }) satisfies JsonSchema
  // Params and headers hold ids, keys and tokens (patterns, nothing to normalise); headers must stay whole.
  const decodeBody = decoderOf(body)
  const decodeQuery = decoderOf(querystring)
  const [routeLimit, ...moreLimits] = spec.rateLimit === undefined ? [] : Array.isArray(spec.rateLimit) ? spec.rateLimit : [spec.rateLimit]
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    config: { access: spec.access, dependsOn: dependsOnOf(spec as RouteSpec<RouteSchemas>), ...(routeLimit ? { rateLimit: routeLimit } : {}) },
    ...(moreLimits.length > 0 ? { onRequest: moreLimitsHook(app, moreLimits) } : {}),
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    ...(decodeBody || decodeQuery
      ? {
        preHandler: async (request: FastifyRequest) => {
          if (decodeBody) request.body = decodeBody(request.body)
          if (decodeQuery) request.query = decodeQuery(request.query)
        },
      }
      : {}),
    handler: spec.handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  })
}
