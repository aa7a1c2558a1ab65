// Declares a route from Effect Schemas: the JSON Schemas Fastify validates with (and OpenAPI shows) and the
// handler's TypeScript types both come from them, so the three can never disagree.
import type { RateLimitOptions } from "@fastify/rate-limit"
import { Schema } from "effect"
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify"
import type { Access } from "./auth/access.ts"
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "./problems.ts"
import { type JsonSchema, toJsonSchema } from "./schema.ts"

export interface RouteSchemas {
  readonly params?: Schema.Top
  readonly querystring?: Schema.Top
  readonly headers?: Schema.Top
  readonly body?: Schema.Top
  /** Success responses by status; `null` for a response without a body (204). */
  readonly responses: Readonly<Record<number, Schema.Top | null>>
  /** The media type of the success body when it is not JSON (an SVG label, Prometheus text). */
  readonly produces?: string
}

type TypeOf<S> = S extends Schema.Top ? S["Type"] : unknown

export type RequestFor<S extends RouteSchemas> = FastifyRequest<{
  Params: TypeOf<S["params"]>
  Querystring: TypeOf<S["querystring"]>
  Headers: TypeOf<S["headers"]>
  Body: TypeOf<S["body"]>
}>

export interface RouteSpec<S extends RouteSchemas> {
  readonly method: HTTPMethods
  readonly url: string
  readonly summary: string
  readonly description?: string
  readonly access: Access
  readonly rateLimit?: RateLimitOptions
  readonly bodyLimit?: number
  readonly schemas: S
  readonly handler: (request: RequestFor<S>, reply: FastifyReply) => Promise<unknown>
  /** Hide from the OpenAPI document (the document itself, /metrics). */
  readonly hidden?: boolean
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
    const type = spec.schemas.produces ?? "application/json"
    out[status] = schema === null
      ? { description: "Done", type: "null" }
      // Closed: the serializer writes only what is declared, and the console's generated types say exactly that.
      : { description: "Success", content: { [type]: { schema: toJsonSchema(schema, { closed: true }) } } }
  }
  out["4xx"] = problemResponse("The request was refused: see the problem's type and detail")
  out["5xx"] = problemResponse("Not ready (503, with Retry-After) or an unexpected failure")
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
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    config: { access: spec.access, ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}) },
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
