// The API's OpenAPI document without opening anything: the same route plugins on a bare Fastify instance, read
// only for their schemas. `npm run gen:api` writes the console's types from it, and a test checks they are current.
import Fastify from "fastify"
import { DEFAULT_LIMITS } from "./app.ts"
import { apiRoutes } from "./api.ts"
import { openApiPlugin } from "./http/docs.ts"
import { validatorCompiler } from "./schema.ts"

export async function apiDocument(version = "0.1.0"): Promise<Record<string, unknown>> {
  const app = Fastify({ logger: false })
  try {
    app.setValidatorCompiler(validatorCompiler)
    app.decorate("limits", DEFAULT_LIMITS)
    await app.register(openApiPlugin, { version })
    // Never asked: nothing listens.
    await app.register(apiRoutes, { readiness: async () => ({ document: { ok: false, detail: "a document, not a server" } }) })
    await app.ready()
    return app.swagger() as unknown as Record<string, unknown>
  } finally {
    await app.close()
  }
}
