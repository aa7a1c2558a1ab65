// The edge's Fastify app: shared plumbing at the root (problems, request ids, security, metrics, the guard, the
// OpenAPI document), then one encapsulated plugin per room. Everything it talks to arrives in `EdgeDeps`.
import { type Effect, type ManagedRuntime, Redacted } from "effect"
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify"
import { type AppSettings, type Logger, makeLogger, NatsUnavailable, type Readiness } from "../platform/index.ts"
import { authenticatePlugin } from "./auth/authenticate.ts"
import { DEFAULT_SLOWDOWN, type SlowdownPolicy } from "./auth/loginSlowdown.ts"
import type { SessionStore } from "./auth/sessions.ts"
import { consolePlugin, DEFAULT_CONSOLE_DIR } from "./http/console.ts"
import { DEFAULT_KIOSK_APP_DIR, kioskAppPlugin } from "./http/kioskApp.ts"
import { docsUiPlugin, openApiPlugin } from "./http/docs.ts"
import { metricsPlugin, observeCommand } from "./http/metrics.ts"
import { accessLogPlugin } from "./http/accessLog.ts"
import { requestContextPlugin, requestIdOf } from "./http/requestContext.ts"
import { requestLoggerFactory } from "./http/requestLogger.ts"
import { securityPlugin } from "./http/security.ts"
import { edgeLivePlugin } from "./live/index.ts"
import { admitsDeviceToken, kioskIdOfToken, type KioskStatesShape, NotFound, verifyDeviceToken } from "../commands/index.ts"
import { sendProblem } from "./problems.ts"
import { apiRoutes } from "./api.ts"
import { validatorCompiler } from "./schema.ts"
import type { EdgeServices } from "./services.ts"

/** Per-client limits; tests lower them to see a 429 without sending thousands of requests. */
export interface EdgeLimits {
  /** Largest request body accepted, in bytes (413 above). */
  readonly bodyLimitBytes: number
  /** Login and refresh attempts per client IP per minute. */
  readonly loginPerMinute: number
  /** Public registrations per client IP per minute. */
  readonly registerPerMinute: number
  /** Requests per kiosk (device token) per minute on kiosk routes. */
  readonly kioskPerMinute: number
  /** Pairing attempts (`/kiosks/assign`) per user per minute, and per address per minute. */
  readonly pairPerUserPerMinute: number
  readonly pairPerAddressPerMinute: number
  /** The per-account slowdown of failed logins, beside the per-address limit (auth/loginSlowdown.ts). */
  readonly loginSlowdown: SlowdownPolicy
}

export const DEFAULT_LIMITS: EdgeLimits = {
  bodyLimitBytes: 64 * 1024,
  loginPerMinute: 10,
  registerPerMinute: 5,
  kioskPerMinute: 600,
  pairPerUserPerMinute: 10,
  pairPerAddressPerMinute: 30,
  loginSlowdown: DEFAULT_SLOWDOWN,
}

export interface EdgeDeps {
  readonly settings: AppSettings
  /** Runs command handlers and read-model queries: the process's runtime with the edge's own services (compose.ts). */
  readonly runtime: Pick<ManagedRuntime.ManagedRuntime<EdgeServices, unknown>, "runPromise">
  readonly sessions: SessionStore
  readonly readiness: Readiness
  readonly logger?: Logger
  readonly limits?: Partial<EdgeLimits>
  readonly accessTtlSeconds?: number
  readonly version?: string
  /** The built console served under /console/ (default ui/dist). */
  readonly consoleDir?: string
  /** The built kiosk app served under /kiosk/ (default ui/kiosk/dist). */
  readonly kioskAppDir?: string
  /** Every kiosk as this process knows it (commands/kiosk/kioskStates.ts): device tokens checked without a fiber. */
  readonly kioskStates?: KioskStatesShape
  /** Whether the NATS connection is up now (platform/nats.ts followConnection); absent = assume it is. */
  readonly natsUp?: () => boolean
}

declare module "fastify" {
  interface FastifyInstance {
    /** Runs a query (or a load); its typed failure is thrown as is, for problems.ts to map. */
    run<A, E>(effect: Effect.Effect<A, E, EdgeServices>): Promise<A>
    /** Runs a command handler like `run`, counting its outcome and time under `name` for /metrics. */
    command<A, E>(name: string, effect: Effect.Effect<A, E, EdgeServices>): Promise<A>
    readonly sessions: SessionStore
    readonly settings: AppSettings
    readonly limits: EdgeLimits
  }
}

export async function buildApp(deps: EdgeDeps): Promise<FastifyInstance> {
  const limits: EdgeLimits = { ...DEFAULT_LIMITS, ...deps.limits }
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only drops pino's own type parameters.
    loggerInstance: (deps.logger ?? makeLogger(deps.settings, "edge")) as FastifyBaseLogger,
    genReqId: requestIdOf,
    requestIdHeader: false,
    // http/accessLog.ts logs answered requests (sampled above debug) instead of two lines per request at info.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    childLoggerFactory: requestLoggerFactory,
    bodyLimit: limits.bodyLimitBytes,
    // Prototype pollution through JSON bodies is refused outright.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    // Errors the router raises before any route runs (a malformed or over-long URL) are problems too.
    frameworkErrors: (error, request, reply) => sendProblem(request, reply, error),
  })
  // JSON is the only body the API reads: anything else is a 415, not a string handed to a schema.
  app.removeContentTypeParser("text/plain")

  app.setValidatorCompiler(validatorCompiler)
  // Responses are written by Fastify's serializer from each route's declared schema (route.ts): a field a route
  // does not declare is never sent, and a declared one missing is a failure the tests see, not a silent drift.
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error))
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new NotFound({ message: "no such route" })))

  app.decorate("run", <A, E>(effect: Effect.Effect<A, E, EdgeServices>) => deps.runtime.runPromise(effect))
  app.decorate("command", <A, E>(name: string, effect: Effect.Effect<A, E, EdgeServices>) =>
    observeCommand(name, () => deps.runtime.runPromise(effect)))
  app.decorate("sessions", deps.sessions)
  app.decorate("settings", deps.settings)
  app.decorate("limits", limits)

  await app.register(requestContextPlugin)
  await app.register(accessLogPlugin)
  // While NATS is down, a route that needs it would wait for a request timeout to learn so: refuse it at once
  // (503 with Retry-After), before the guard asks the session store (in NATS) about the caller.
  const natsUp = deps.natsUp
  if (natsUp !== undefined) {
    app.addHook("onRequest", async (request) => {
      if (!natsUp() && request.routeOptions.config.dependsOn?.includes("NATS")) {
        throw new NatsUnavailable({ message: "the NATS connection is down", cause: null })
      }
    })
  }
  await app.register(metricsPlugin)
  await app.register(securityPlugin, { corsOrigins: deps.settings.corsOrigins })
  await app.register(authenticatePlugin, {
    jwtSecret: deps.settings.jwtSecret,
    sessions: deps.sessions,
    verifyDeviceToken: deviceVerifier(deps),
    ...(deps.accessTtlSeconds !== undefined ? { accessTtlSeconds: deps.accessTtlSeconds } : {}),
  })
  await app.register(openApiPlugin, { version: deps.version ?? "0.1.0" })

  await app.register(apiRoutes, { readiness: deps.readiness })
  await app.register(docsUiPlugin)
  await app.register(consolePlugin, { dir: deps.consoleDir ?? DEFAULT_CONSOLE_DIR })
  await app.register(kioskAppPlugin, { dir: deps.kioskAppDir ?? DEFAULT_KIOSK_APP_DIR })
  // The live feed: /ws on the app's own event store, JWTs and session checks (docs/websocket.md, "Wiring").
  await app.register(edgeLivePlugin, { kioskStates: deps.kioskStates })

  return app
}

function deviceVerifier({ runtime, settings, kioskStates }: EdgeDeps) {
  const key = Redacted.value(settings.deviceTokenKey)
  return async (token: string): Promise<string | undefined> => {
    // The usual case, on every kiosk request: the kiosk is in this process's kiosk states, checked in place.
    const kioskId = kioskIdOfToken(token)
    const known = kioskId === undefined ? undefined : kioskStates?.current(kioskId)
    if (known !== undefined) return admitsDeviceToken(known, token, key) ? kioskId : undefined
    try {
      return (await runtime.runPromise(verifyDeviceToken(token))).kioskId
    } catch (error) {
      if ((error as { _tag?: string })._tag === "Unauthorized") return undefined
      throw error
    }
  }
}
