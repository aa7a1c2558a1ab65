// The one mapper from every failure the edge can meet to an RFC 9457 problem (application/problem+json).
// Typed domain errors, our own auth/limit errors, Fastify's parsing and validation errors: each gets exactly one
// status here. Anything else is a 500 that says nothing about internals: the details go to the log only.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify"
import { Schema } from "effect"
import { textPatternMessage } from "../commands/index.ts"
import { dependencyOutage } from "../platform/index.ts"

export const PROBLEM_CONTENT_TYPE = "application/problem+json"
const TYPE_BASE = "https://admin-kiosk.dev/problems/"
/** How long a client should wait before asking again while NATS or Postgres is down (a restart takes seconds). */
export const OUTAGE_RETRY_AFTER_SECONDS = 2

/** Too many requests from one client; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  message: Schema.String,
  retryAfterSeconds: Schema.Number,
}) {}

/** A dependency (NATS, Postgres, a read model catching up) is not ready; the client may retry shortly. */
export interface NotReadyLike {
  readonly _tag: "NotReady"
  readonly message: string
  readonly retryAfterSeconds?: number
  /** What is not ready, for /readyz: copied into the problem as an extension member. */
  readonly checks?: unknown
}

export interface FieldIssue {
  /** Which part of the request: body, querystring, params or headers. */
  readonly in: string
  /** JSON Pointer into that part, "" for the whole part. */
  readonly path: string
  readonly message: string
}

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly instance?: string
  readonly requestId?: string
  readonly errors?: ReadonlyArray<FieldIssue>
  readonly checks?: unknown
}

/** The problem document as a schema: the OpenAPI document declares it for every error response. */
export const ProblemSchema = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  instance: Schema.optionalKey(Schema.String),
  requestId: Schema.optionalKey(Schema.String),
  errors: Schema.optionalKey(Schema.Array(Schema.Struct({ in: Schema.String, path: Schema.String, message: Schema.String }))),
}).annotate({ identifier: "Problem", title: "Problem", description: "RFC 9457 problem details" })

interface Mapped {
  readonly slug: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly headers?: Record<string, string>
  readonly errors?: ReadonlyArray<FieldIssue>
  readonly checks?: unknown
}

const DOMAIN: Record<string, { slug: string; title: string; status: number }> = {
  NotFound: { slug: "not-found", title: "Not Found", status: 404 },
  Conflict: { slug: "conflict", title: "Conflict", status: 409 },
  Forbidden: { slug: "forbidden", title: "Forbidden", status: 403 },
  Invalid: { slug: "unprocessable", title: "Unprocessable Content", status: 422 },
  WeakPassword: { slug: "weak-password", title: "Unprocessable Content", status: 422 },
  NotEnoughHistory: { slug: "not-enough-history", title: "Not Enough History", status: 422 },
}

// Fastify's own request errors whose status we keep; their message is safe, but we word it ourselves anyway.
const FASTIFY: Record<string, { slug: string; title: string; status: number; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: "payload-too-large", title: "Content Too Large", status: 413, detail: "The request body is larger than this endpoint accepts" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { slug: "unsupported-media-type", title: "Unsupported Media Type", status: 415, detail: "Send the body as application/json" },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: "malformed-body", title: "Bad Request", status: 400, detail: "The body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: "malformed-body", title: "Bad Request", status: 400, detail: "The body is empty but the content type says JSON" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { slug: "malformed-body", title: "Bad Request", status: 400, detail: "The Content-Length does not match the body" },
  FST_ERR_BAD_URL: { slug: "malformed-url", title: "Bad Request", status: 400, detail: "The URL is not valid" },
  FST_ERR_MAX_PARAM_LENGTH: { slug: "uri-too-long", title: "URI Too Long", status: 414, detail: "A path parameter is longer than any valid value" },
  FST_ERR_CTP_INVALID_TYPE: { slug: "malformed-body", title: "Bad Request", status: 400, detail: "The Content-Type header is not valid" },
  // The static file server (console, API docs) refusing a path that climbs out of its folder ("..", "%2e%2e", NUL).
  FST_STATIC_FORBIDDEN_PATH: { slug: "not-found", title: "Not Found", status: 404, detail: "No such file" },
}

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" ? error._tag : undefined

const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : ""

/** The field an error names: a body field by its name, or `{ in, name }` for another part of the request. */
function fieldOf(error: unknown): { readonly in: string; readonly name: string } | undefined {
  const field = typeof error === "object" && error !== null && "field" in error ? error.field : undefined
  if (typeof field === "string") return { in: "body", name: field }
  if (typeof field === "object" && field !== null && "in" in field && "name" in field && typeof field.in === "string" && typeof field.name === "string") {
    return { in: field.in, name: field.name }
  }
  return undefined
}

interface AjvIssue {
  readonly instancePath?: string
  readonly keyword?: string
  readonly message?: string
  readonly params?: Record<string, unknown>
}

function fieldIssues(part: string, issues: ReadonlyArray<AjvIssue>): ReadonlyArray<FieldIssue> {
  return issues.map((issue) => {
    let pointer = issue.instancePath ?? ""
    // "must have required property 'x'" points at the parent; point at the missing field instead.
    if (issue.keyword === "required" && typeof issue.params?.missingProperty === "string") pointer += `/${issue.params.missingProperty}`
    if (issue.keyword === "additionalProperties" && typeof issue.params?.additionalProperty === "string") {
      pointer += `/${issue.params.additionalProperty}`
    }
    const meaning = issue.keyword === "pattern" && typeof issue.params?.pattern === "string" ? textPatternMessage(issue.params.pattern) : undefined
    return { in: part, path: pointer, message: meaning ?? issue.message ?? "is not valid" }
  })
}

/** The one mapping. Pure: the caller decides how to log and send. `where` tells a database socket error apart. */
export function mapError(error: unknown, where?: { readonly databaseUrl: string }): Mapped {
  const tag = tagOf(error)
  if (tag !== undefined && tag in DOMAIN) {
    const d = DOMAIN[tag]!
    const detail = messageOf(error) || d.title
    // A rule about one field (a weak password, a time of sale too old, a forged cursor) points at it, as schema errors do.
    const field = fieldOf(error)
    if (field === undefined) return { ...d, detail }
    const errors = [{ in: field.in, path: `/${field.name}`, message: detail }]
    // A query parameter the read side cannot use (a forged cursor, a min_seq past the stream's end) is a bad request.
    return field.in === "querystring" ? { slug: "validation", title: "Bad Request", status: 400, detail, errors } : { ...d, detail, errors }
  }
  if (tag === "Unauthorized") {
    return { slug: "unauthorized", title: "Unauthorized", status: 401, detail: messageOf(error), headers: { "www-authenticate": "Bearer" } }
  }
  if (tag === "RateLimited") {
    const seconds = Math.max(1, Math.ceil((error as RateLimited).retryAfterSeconds))
    return { slug: "rate-limited", title: "Too Many Requests", status: 429, detail: messageOf(error), headers: { "retry-after": String(seconds) } }
  }
  if (tag === "NotReady") {
    const notReady = error as NotReadyLike
    const seconds = Math.max(1, Math.ceil(notReady.retryAfterSeconds ?? 1))
    return {
      slug: "not-ready", title: "Service Unavailable", status: 503, detail: messageOf(error) || "Not ready yet",
      headers: { "retry-after": String(seconds) },
      ...(notReady.checks !== undefined ? { checks: notReady.checks } : {}),
    }
  }
  const outage = dependencyOutage(error, where)
  if (outage !== undefined) {
    return {
      slug: "unavailable", title: "Service Unavailable", status: 503, detail: outage.detail,
      headers: { "retry-after": String(OUTAGE_RETRY_AFTER_SECONDS) },
    }
  }
  if (tag === "SchemaError") {
    return { slug: "validation", title: "Bad Request", status: 400, detail: messageOf(error) || "The request does not have the expected shape" }
  }
  // Anything may be thrown, `undefined` included.
  const fastify = (typeof error === "object" && error !== null ? error : {}) as Partial<FastifyError> & {
    validationContext?: string
    validation?: ReadonlyArray<AjvIssue>
  }
  if (Array.isArray(fastify.validation)) {
    const part = fastify.validationContext ?? "request"
    return {
      slug: "validation",
      title: "Bad Request",
      status: 400,
      detail: `The ${part} does not match the schema`,
      errors: fieldIssues(part, fastify.validation),
    }
  }
  if (typeof fastify.code === "string" && fastify.code in FASTIFY) return FASTIFY[fastify.code]!
  if (error instanceof SyntaxError && fastify.statusCode === 400) return FASTIFY.FST_ERR_CTP_INVALID_JSON_BODY!
  return { slug: "internal", title: "Internal Server Error", status: 500, detail: "Something went wrong on our side; quote the request id if you report it" }
}

export function problemFor(
  error: unknown,
  request?: Pick<FastifyRequest, "id" | "url">,
  where?: { readonly databaseUrl: string },
): Problem & { headers?: Record<string, string> } {
  const mapped = mapError(error, where)
  return {
    type: `${TYPE_BASE}${mapped.slug}`,
    title: mapped.title,
    status: mapped.status,
    detail: mapped.detail,
    ...(request ? { instance: request.url.split("?")[0]!, requestId: request.id } : {}),
    ...(mapped.errors ? { errors: mapped.errors } : {}),
    ...(mapped.checks !== undefined ? { checks: mapped.checks } : {}),
    ...(mapped.headers ? { headers: mapped.headers } : {}),
  }
}

// During an outage every request meets it: one warning per dependency every 10 s says so, the rest go to debug.
const OUTAGE_LOG_EVERY_MS = 10_000
const outageLoggedAt = new Map<string, number>()
function outageLogDue(detail: string): boolean {
  const now = Date.now()
  if (now - (outageLoggedAt.get(detail) ?? 0) < OUTAGE_LOG_EVERY_MS) return false
  outageLoggedAt.set(detail, now)
  return true
}

/** Sends the problem for `error`; 5xx are logged with the full error, 4xx at debug level only. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  // The app's settings say where the database is; frameworkErrors may run before the app is decorated.
  const where = (request.server as { settings?: { databaseUrl: string } }).settings
  const { headers, ...problem } = problemFor(error, request, where)
  if (problem.status >= 500 && problem.status !== 503) request.log.error({ err: error }, "request failed")
  else if (problem.type === `${TYPE_BASE}unavailable` && outageLogDue(problem.detail)) {
    request.log.warn({ cause: error instanceof Error ? error.message : String(error) }, "dependency unavailable")
  }
  else request.log.debug({ problem: problem.type, detail: problem.detail }, "request refused")
  for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value)
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem)
}
