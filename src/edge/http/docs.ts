// The OpenAPI 3.1 document (from every route's schema, themselves from the Effect Schemas) and a browsable UI at
// /docs. Registered before the routes: @fastify/swagger collects them as they are added.
import fastifySwagger from "@fastify/swagger"
import fastifySwaggerUi from "@fastify/swagger-ui"
import type { FastifyInstance, RouteOptions } from "fastify"
import fp from "fastify-plugin"
import { CURRENCY_EXPONENTS } from "../../commands/index.ts"

export const DOCS_PREFIX = "/docs"
/** The document's extension member holding each currency's minor-unit digits. */
export const CURRENCY_DIGITS_KEY = "x-currency-minor-units"

async function document(app: FastifyInstance, options: { readonly version: string }) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Admin Kiosk API",
        version: options.version,
        description: "Payment-kiosk fleet. Errors are RFC 9457 application/problem+json. Amounts are integers in minor units.",
      },
      components: {
        securitySchemes: {
          userToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Access token from POST /auth/login" },
          deviceToken: { type: "http", scheme: "bearer", description: "A kiosk's device token, issued by POST /kiosks" },
        },
      },
    },
    // Each currency's ISO 4217 minor-unit digits beside the document: a client turns minor units into amounts
    // (and typed amounts back) from the API's own table, as the console's generated types do.
    transformObject: (documents) => ({ ...("openapiObject" in documents ? documents.openapiObject : documents.swaggerObject), [CURRENCY_DIGITS_KEY]: CURRENCY_EXPONENTS }),
  })
}

async function ui(app: FastifyInstance) {
  // The UI's own routes (page, static files, /docs/json) are public; saying so keeps the guard's startup check closed.
  app.addHook("onRoute", (route: RouteOptions) => {
    route.config = { ...route.config, access: "public" }
  })
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true })
}

/** The document: must wrap the app's routes (registered before them) to see them. */
export const openApiPlugin = fp(document, { name: "admin-kiosk-openapi", fastify: "5.x" })
/** The browsable UI; encapsulated so that its "public" marking stays with its own routes. */
export const docsUiPlugin = ui
