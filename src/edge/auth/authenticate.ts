// The one guard: every route declares `config.access`; one onRequest hook authenticates the caller (a user's
// access token or a kiosk's device token) and admits it only if its role is listed. Routes never check roles.
import fastifyJwt from "@fastify/jwt"
import { Redacted } from "effect"
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify"
import fp from "fastify-plugin"
import { Forbidden, kioskIdOfToken, type Role, Unauthorized } from "../../commands/index.ts"
import { type Access, bearerToken, callerOf, type Principal } from "./access.ts"
import type { SessionClaims, SessionStore } from "./sessions.ts"

export const DEFAULT_ACCESS_TTL_SECONDS = 15 * 60

export interface AuthenticateOptions {
  readonly jwtSecret: Redacted.Redacted<string>
  readonly sessions: SessionStore
  /** The kiosk a device token belongs to, or undefined when it matches none (or a rotated-away credential). */
  readonly verifyDeviceToken: (token: string) => Promise<string | undefined>
  readonly accessTtlSeconds?: number
}

/** What an access token says, besides the registered claims (iat, exp). */
export interface AccessClaims extends SessionClaims {
  readonly typ: "access"
  readonly role: Role
  readonly name: string
}

export interface RouteAccess {
  readonly method: string
  readonly url: string
  readonly access: Access | undefined
}

declare module "fastify" {
  interface FastifyInstance {
    /** Signs a short-lived access token for a user session. */
    issueAccessToken(user: { id: string; role: Role; username: string }, session: SessionClaims): string
    /** How long an access token lives, in seconds (the `expiresIn` of a session). */
    readonly accessTtlSeconds: number
    /** Every route with its declared access, for the docs and for the authorization-matrix test. */
    readonly routeAccess: ReadonlyArray<RouteAccess>
  }
}

const ROLES: ReadonlySet<string> = new Set(["admin", "operator", "auditor"])

function claimsOf(payload: unknown): AccessClaims | undefined {
  if (typeof payload !== "object" || payload === null) return undefined
  const p = payload as Record<string, unknown>
  const ok = p.typ === "access" && typeof p.sub === "string" && typeof p.sid === "string" && Number.isSafeInteger(p.ep) &&
    typeof p.role === "string" && ROLES.has(p.role) && typeof p.name === "string"
  return ok ? (p as unknown as AccessClaims) : undefined
}

async function authenticate(app: FastifyInstance, options: AuthenticateOptions) {
  const ttl = options.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS
  // HS256 only, on both sides: a token naming another algorithm (`none` included) fails verification.
  await app.register(fastifyJwt, {
    secret: Redacted.value(options.jwtSecret),
    sign: { algorithm: "HS256", expiresIn: `${ttl}s` },
    verify: { algorithms: ["HS256"] },
  })

  app.decorate("issueAccessToken", (user: { id: string; role: Role; username: string }, session: SessionClaims) =>
    app.jwt.sign({ typ: "access", sub: user.id, sid: session.sid, ep: session.ep, role: user.role, name: user.username }))

  app.decorate("accessTtlSeconds", ttl)
  const routes: Array<RouteAccess> = []
  app.decorate("routeAccess", routes)
  app.decorateRequest("principal", null)

  app.addHook("onRoute", (route: RouteOptions) => {
    routes.push({ method: String(route.method), url: route.url, get access() { return route.config?.access } })
  })
  // Fail closed at startup: a route nobody thought about the access of must not go live.
  app.addHook("onReady", async () => {
    const open = routes.filter((r) => r.access === undefined)
    if (open.length > 0) throw new Error(`routes without config.access: ${open.map((r) => `${r.method} ${r.url}`).join(", ")}`)
  })

  const userFrom = async (token: string): Promise<Principal> => {
    let claims: AccessClaims | undefined
    try {
      claims = claimsOf(app.jwt.verify(token))
    } catch {
      throw new Unauthorized({ message: "the access token is invalid or expired" })
    }
    if (claims === undefined) throw new Unauthorized({ message: "the access token is invalid or expired" })
    await options.sessions.assertCurrent(claims)
    return { kind: "user", id: claims.sub, role: claims.role, username: claims.name }
  }

  const kioskFrom = async (token: string): Promise<Principal> => {
    const kioskId = await options.verifyDeviceToken(token)
    if (kioskId === undefined) throw new Unauthorized({ message: "the device token is not valid" })
    return { kind: "kiosk", id: kioskId }
  }

  app.addHook("onRequest", async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access
    // Unknown routes have no access config: they fall through to the 404 handler.
    if (access === undefined || access === "public") return
    const token = bearerToken(request.headers.authorization)
    if (token === undefined) throw new Unauthorized({ message: "send a token as 'Authorization: Bearer <token>'" })
    // Device tokens carry their own prefix (akd.<kiosk>.<secret>); everything else must be one of our JWTs.
    const principal = kioskIdOfToken(token) !== undefined ? await kioskFrom(token) : await userFrom(token)
    const caller = callerOf(principal)
    if (!access.includes(caller)) throw new Forbidden({ message: `this route is not open to ${caller === "kiosk" ? "kiosks" : `the ${caller} role`}` })
    request.principal = principal
  })
}

export const authenticatePlugin = fp(authenticate, { name: "admin-kiosk-authenticate", fastify: "5.x" })

/** The principal of a guarded route; routes with non-public access always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Unauthorized({ message: "authentication required" })
  return request.principal
}

/** A kiosk may act only on itself; users pass (their role was checked by the guard). */
export function assertSelfOrUser(request: FastifyRequest, kioskId: string): Principal {
  const principal = principalOf(request)
  if (principal.kind === "kiosk" && principal.id !== kioskId) {
    throw new Forbidden({ message: "a kiosk may act only on itself" })
  }
  return principal
}
