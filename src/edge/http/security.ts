// Security headers, CORS from configuration, and the rate limiter that routes opt into (login, registration,
// kiosk routes). A limited request becomes a 429 problem through problems.ts like every other refusal.
import type { IncomingMessage, ServerResponse } from "node:http"
import fastifyCors from "@fastify/cors"
import fastifyRateLimit from "@fastify/rate-limit"
import type { FastifyInstance } from "fastify"
import fp from "fastify-plugin"
import helmet from "helmet"
import { RateLimited } from "../problems.ts"

export interface SecurityOptions {
  /** Origins allowed to call the API from a browser; empty = no cross-origin access. */
  readonly corsOrigins: ReadonlyArray<string>
}

async function security(app: FastifyInstance, options: SecurityOptions) {
  // Helmet's middleware built once: @fastify/helmet built it again on every request (its CSP parsed each time).
  const securityHeaders = helmet({
    // Same-origin pages only: the docs, and the console, which compiles its QR decoder (wasm) and shows the
    // label from a blob URL. Its styles are one built stylesheet (Solid sets dynamic styles through the CSSOM, which
    // CSP does not govern), so no inline styles are allowed; swagger-ui sends its own policy for /docs.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "blob:", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Helmet adds upgrade-insecure-requests by default; over plain HTTP on a LAN name (docker compose opened
        // from a phone) it rewrites every asset URL to https and the console is a blank page. TLS is the
        // ingress's job, and HSTS says the rest where it applies.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: "same-site" },
  })
  // Its headers are the same on every response (no nonces): recorded once and set as one object per request,
  // not through its chain of a dozen middlewares (6 % of the edge's CPU per payment).
  const headers = recordHeaders(securityHeaders)
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
  await app.register(fastifyCors, {
    origin: options.corsOrigins.length === 0 ? false : [...options.corsOrigins],
    credentials: false,
    methods: ["GET", "POST", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "x-request-id"],
    exposedHeaders: ["x-request-id", "retry-after", "idempotent-replayed"],
    maxAge: 600,
  })
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new RateLimited({ message: `rate limit of ${context.max} requests per ${context.after} exceeded`, retryAfterSeconds: context.ttl / 1000 }),
  })
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/** The headers a connect-style middleware sets, run once against a response that only records them. */
function recordHeaders(middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string | number | ReadonlyArray<string>) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value)
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
  }
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error !== undefined) throw error instanceof Error ? error : new Error(String(error))
  })
  return headers
}

export const securityPlugin = fp(security, { name: "admin-kiosk-security", fastify: "5.x" })
