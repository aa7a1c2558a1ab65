// The one mapper: each kind of failure gets one status and one problem type, and anything unforeseen is a bare 500.
import { describe, expect, it } from "vitest"
import {
  Conflict, Forbidden, Invalid, NotFound, StoreUnavailable, Text, Unauthorized, WeakPassword,
} from "../commands/index.ts"
import { DbError, NotReady } from "../projections/index.ts"
import { NatsUnavailable } from "../platform/index.ts"
import { mapError, OUTAGE_RETRY_AFTER_SECONDS, problemFor, RateLimited } from "./problems.ts"
import { toJsonSchema } from "./schema.ts"

const fastifyError = (code: string, statusCode: number, message = "x") => Object.assign(new Error(message), { code, statusCode })

describe("mapError", () => {
  it.each([
    ["NotFound", new NotFound({ message: "kiosk not found" }), 404, "not-found"],
    ["Conflict", new Conflict({ message: "taken" }), 409, "conflict"],
    ["Forbidden", new Forbidden({ message: "no" }), 403, "forbidden"],
    ["Invalid", new Invalid({ message: "refund too large" }), 422, "unprocessable"],
    ["WeakPassword", new WeakPassword({ message: "password: too easy to guess", field: "password" }), 422, "weak-password"],
    ["Unauthorized", new Unauthorized({ message: "bad token" }), 401, "unauthorized"],
    ["RateLimited", new RateLimited({ message: "slow down", retryAfterSeconds: 12.2 }), 429, "rate-limited"],
    ["NotReady", new NotReady({ message: "behind", projection: "payments", minSeq: 9, reached: 3, retryAfterSeconds: 1 }), 503, "not-ready"],
    ["body too large", fastifyError("FST_ERR_CTP_BODY_TOO_LARGE", 413), 413, "payload-too-large"],
    ["media type", fastifyError("FST_ERR_CTP_INVALID_MEDIA_TYPE", 415), 415, "unsupported-media-type"],
    ["malformed JSON", fastifyError("FST_ERR_CTP_INVALID_JSON_BODY", 400, "Unexpected token } in JSON at position 12"), 400, "malformed-body"],
    ["empty JSON", fastifyError("FST_ERR_CTP_EMPTY_JSON_BODY", 400), 400, "malformed-body"],
    ["over-long path parameter", fastifyError("FST_ERR_MAX_PARAM_LENGTH", 414), 414, "uri-too-long"],
    ["a static file path climbing out of its folder", fastifyError("FST_STATIC_FORBIDDEN_PATH", 403), 404, "not-found"],
  ])("%s", (_name, error, status, slug) => {
    const mapped = mapError(error)
    expect(mapped.status).toBe(status)
    expect(mapped.slug).toBe(slug)
  })

  it("keeps the domain's message as the detail", () => {
    expect(mapError(new Invalid({ message: "refund larger than what is left" })).detail).toBe("refund larger than what is left")
  })

  it("points a rule about one field at that field, as schema errors do", () => {
    const message = "password: too easy to guess. This is a commonly used password."
    expect(mapError(new WeakPassword({ message, field: "password" }))).toMatchObject({
      status: 422, detail: message, errors: [{ in: "body", path: "/password", message }],
    })
    expect(mapError(new Invalid({ message: "x" })).errors).toBeUndefined()
  })

  it("names the field a business rule refused: 422 for a command's body, 400 for a query parameter", () => {
    const late = new Invalid({ message: "occurred_at is more than 90 days old", field: { in: "body", name: "occurred_at" } })
    expect(mapError(late)).toMatchObject({ status: 422, errors: [{ in: "body", path: "/occurred_at", message: late.message }] })
    const forged = new Invalid({ message: "cursor is not valid", field: { in: "querystring", name: "cursor" } })
    expect(mapError(forged)).toMatchObject({ status: 400, slug: "validation", errors: [{ in: "querystring", path: "/cursor" }] })
  })

  it("tells the client when to come back", () => {
    expect(mapError(new RateLimited({ message: "x", retryAfterSeconds: 12.2 })).headers).toEqual({ "retry-after": "13" })
    expect(mapError(new NotReady({ message: "x", projection: "p", minSeq: 2, reached: 1, retryAfterSeconds: 1 })).headers).toEqual({ "retry-after": "1" })
    expect(mapError(new Unauthorized({ message: "x" })).headers).toEqual({ "www-authenticate": "Bearer" })
  })

  it("turns schema validation into field-level errors that point at the field", () => {
    const error = Object.assign(new Error("invalid"), {
      validationContext: "body",
      validation: [
        { instancePath: "", keyword: "required", params: { missingProperty: "amount" }, message: "must have required property 'amount'" },
      ],
    })
    expect(mapError(error)).toMatchObject({ status: 400, slug: "validation", errors: [{ in: "body", path: "/amount", message: "must have required property 'amount'" }] })
  })

  it("says what a caller-text pattern means instead of quoting it", () => {
    const { pattern } = toJsonSchema(Text({ max: 10 }), { closed: true }) as { pattern: string }
    const error = Object.assign(new Error("invalid"), {
      validationContext: "body",
      validation: [{ instancePath: "/name", keyword: "pattern", params: { pattern }, message: `must match pattern "${pattern}"` }],
    })
    expect(mapError(error).errors).toEqual([{ in: "body", path: "/name", message: "must not contain control characters or unpaired surrogates" }])
  })

  it("says nothing about anything else", () => {
    const secret = new Error('relation "ak.payments" does not exist at /srv/app/node_modules/pg/lib/client.js:12')
    const problem = problemFor(secret, { id: "req_1", url: "/payments?limit=2" })
    expect(problem).toEqual({
      type: "https://admin-kiosk.dev/problems/internal",
      title: "Internal Server Error",
      status: 500,
      detail: "Something went wrong on our side; quote the request id if you report it",
      instance: "/payments",
      requestId: "req_1",
    })
    expect(mapError("a thrown string").status).toBe(500)
    expect(mapError(undefined).status).toBe(500)
    // A Fastify error we have not classified is not trusted to be harmless either.
    expect(mapError(fastifyError("FST_ERR_SOMETHING_NEW", 400, "internal detail")).status).toBe(500)
  })
})

describe("a dependency that is down", () => {
  const named = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra, { name })
  const pgRefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6543"), { code: "ECONNREFUSED", address: "127.0.0.1", port: 6543 })
  const where = { databaseUrl: "postgres://postgres@127.0.0.1:6543/postgres" }

  it.each([
    ["nats.js timing out", named("TimeoutError", "timeout"), "NATS"],
    ["no responders (JetStream gone)", named("NoResponders", "no responders"), "NATS"],
    ["a request failing on a lost connection", named("RequestError", "request failed", { cause: named("ConnectionError", "connection refused") }), "NATS"],
    ["JetStream's API answering 503", named("JetStreamApiError", "jetstream not available", { status: 503 }), "NATS"],
    ["the event store's own time limit", new StoreUnavailable({ message: "load x: timed out", cause: null }), "NATS"],
    ["the event store wrapping a timeout", new StoreUnavailable({ message: "append: timeout", cause: named("TimeoutError", "timeout") }), "NATS"],
    ["the edge refusing at once while disconnected", new NatsUnavailable({ message: "down", cause: null }), "NATS"],
    ["Postgres refusing connections", pgRefused, "Postgres"],
    ["Postgres shutting down", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01", severity: "FATAL" }), "Postgres"],
    ["Postgres starting up", Object.assign(new Error("the database system is starting up"), { code: "57P03", severity: "FATAL" }), "Postgres"],
    ["a connection dropped mid-query", new Error("Connection terminated unexpectedly"), "Postgres"],
    ["the pool's connect timeout", new Error("timeout exceeded when trying to connect"), "Postgres"],
    ["a read-model query Postgres did not answer", new DbError({ message: "read-model query failed", cause: pgRefused }), "Postgres"],
  ])("%s: 503 naming %s, with Retry-After", (_name, error, dependency) => {
    const mapped = mapError(error, where)
    expect(mapped).toMatchObject({ status: 503, slug: "unavailable", headers: { "retry-after": String(OUTAGE_RETRY_AFTER_SECONDS) } })
    expect(mapped.detail).toContain(dependency)
    expect(mapped.detail).not.toMatch(/127\.0\.0\.1|6543/)
  })

  it.each([
    ["a bug", new TypeError("x is undefined")],
    ["the event store refused by JetStream for a reason retrying cannot fix", new StoreUnavailable({ message: "append", cause: named("JetStreamApiError", "maximum payload exceeded", { status: 400 }) })],
    ["a socket error on a port that is not the database's", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", port: 25 })],
    ["a Postgres error about the query, not the server", Object.assign(new Error("syntax error"), { code: "42601", severity: "ERROR" })],
    ["a read-model query Postgres refused as wrong", new DbError({ message: "read-model query failed", cause: Object.assign(new Error("syntax error"), { code: "42601", severity: "ERROR" }) })],
    ["an AbortSignal timeout (a DOMException)", new DOMException("The operation timed out", "TimeoutError")],
  ])("%s: not an outage (500)", (_name, error) => {
    expect(mapError(error, where).status).toBe(500)
  })
})
