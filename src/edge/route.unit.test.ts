// Responses are written from each route's declared schema: an undeclared field never leaves the edge, and a
// declared one that is missing fails the request instead of drifting silently from the OpenAPI document.
import { Schema } from "effect"
import Fastify from "fastify"
import { describe, expect, it } from "vitest"
import { addRoute } from "./route.ts"
import { validatorCompiler } from "./schema.ts"

async function appAnswering(body: unknown) {
  const app = Fastify({ logger: false })
  app.setValidatorCompiler(validatorCompiler)
  addRoute(app, {
    method: "GET",
    url: "/thing",
    summary: "A thing",
    access: "public",
    schemas: { responses: { 200: Schema.Struct({ id: Schema.String, count: Schema.Int, note: Schema.NullOr(Schema.String) }) } },
    handler: async () => body,
  })
  await app.ready()
  return app
}

describe("a route's response", () => {
  it("carries only what its schema declares", async () => {
    const app = await appAnswering({ id: "a", count: 2, note: null, secret: "never sent", nested: { x: 1 } })
    const response = await app.inject({ method: "GET", url: "/thing" })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ id: "a", count: 2, note: null })
    await app.close()
  })

  it("fails when a declared field is missing, rather than sending less than the document promises", async () => {
    const app = await appAnswering({ id: "a", note: null })
    const response = await app.inject({ method: "GET", url: "/thing" })
    expect(response.statusCode).toBe(500)
    await app.close()
  })
})
