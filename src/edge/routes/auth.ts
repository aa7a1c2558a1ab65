// /auth: sign-up (operators only, can be switched off), login, refresh, logout, the caller's own account, and
// the admin's user management. Every session change goes through the session store; every account change
// through the user command handlers.
import { setTimeout } from "node:timers/promises"
import { Schema } from "effect"
import type { FastifyInstance, FastifyRequest } from "fastify"
import {
  authenticate, changeUserContact, changeUserRole, deactivateUser, Forbidden, loadUser, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, registerUser, requireActiveUser, type Role, Text, userIdFor, type UserView as User,
} from "../../commands/index.ts"
import { listUsers } from "../../projections/index.ts"
import { principalOf } from "../auth/authenticate.ts"
import { loginSlowdown } from "../auth/loginSlowdown.ts"
import { commandContext } from "../http/requestContext.ts"
import { RateLimited } from "../problems.ts"
import { addRoute } from "../route.ts"
import { userFromRow } from "../views.ts"
import { ContactInput, IdParams, Page, pageQuery, Password, Role as RoleSchema, SearchText, Seq, Username, UserView } from "../shapes.ts"

const Session = Schema.Struct({
  token: Schema.String,
  refreshToken: Schema.String,
  /** Seconds until `token` expires; refresh before then. */
  expiresIn: Schema.Int,
  user: UserView,
})

export const RefreshBody = Schema.Struct({ refreshToken: Schema.String.check(Schema.isPattern(/^[\x21-\x7e]{1,200}$/u)) })
export const ContactChange = Schema.Struct({
  displayName: Schema.optionalKey(ContactInput.fields.displayName),
  email: Schema.optionalKey(ContactInput.fields.email),
  phone: Schema.optionalKey(ContactInput.fields.phone),
  language: Schema.optionalKey(ContactInput.fields.language),
  preferences: Schema.optionalKey(ContactInput.fields.preferences),
})

export const RegisterBody = Schema.Struct({ username: Username, password: Password, contact: Schema.optionalKey(ContactChange) })
export const LoginBody = Schema.Struct({
  username: Text({ max: 40 }),
  password: Schema.String.check(Schema.isMaxCodePoints(200)),
})
export const UserChange = Schema.Struct({ role: Schema.optionalKey(RoleSchema), contact: Schema.optionalKey(ContactChange) })
  .check(Schema.isMinProperties(1))

export async function authRoutes(app: FastifyInstance) {
  const perMinute = (max: number) => ({ max, timeWindow: 60_000 })
  const slowdown = loginSlowdown(app.limits.loginSlowdown)
  const { loginPerMinute, registerPerMinute } = app.limits
  const { freeAttempts, firstWaitMs, maxWaitMs, attackThreshold, maxHoldMs } = app.limits.loginSlowdown

  const sessionFor = async (user: User) => {
    const issued = await app.sessions.start(user.id)
    return { token: app.issueAccessToken(user, issued.claims), refreshToken: issued.refreshToken, expiresIn: app.accessTtlSeconds, user }
  }

  addRoute(app, {
    method: "POST",
    url: "/register",
    summary: "Sign up as an operator (when public registration is on)",
    description: `At most ${registerPerMinute} sign-ups per minute from one address (429 with Retry-After). The password ` +
      `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters (400) and hard to guess (422): the zxcvbn-ts ` +
      "estimator, which knows common passwords, English and Spanish words, names, keyboard patterns, dates, repeats " +
      `and l33t, and counts the username, display name and e-mail as known words, must score it ${MIN_PASSWORD_SCORE} ` +
      "of 4 or more (about 10^8 guesses). A refusal is a problem whose `errors` point at `/password`, with the " +
      "estimator's advice in its message.",
    access: "public",
    rateLimit: perMinute(registerPerMinute),
    schemas: {
      body: RegisterBody,
      responses: { 201: Schema.Struct({ ...Session.fields, seq: Seq }) },
    },
    handler: async (request, reply) => {
      if (!app.settings.publicRegistration) throw new Forbidden({ message: "public registration is turned off" })
      const { username, password, contact } = request.body
      // Public sign-up only ever makes operators; admins are made by the CLI or by another admin.
      const role: Role = "operator"
      const context = { actor: { kind: "user" as const, id: userIdFor(username), role }, correlationId: request.id }
      const { user, seq } = await app.command("registerUser", registerUser({ username, password, role, contact }, context))
      return reply.code(201).send({ ...(await sessionFor(user)), seq })
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/login",
    summary: "Log in with username and password",
    description: `At most ${loginPerMinute} attempts per minute from one address (429 with Retry-After). Beside that, a ` +
      `per-account slowdown: after ${freeAttempts} attempts on one account from one address without a success, the ` +
      `next one from there waits ${firstWaitMs / 1000} s, doubling each time up to ${maxWaitMs / 60_000} min (429 with Retry-After; the ` +
      `password is not checked). After ${attackThreshold} failures on an account from anywhere, addresses that never ` +
      `signed in to it get no free attempts and their answers are held up to ${maxHoldMs / 1000} s. A success clears ` +
      "the counts, and addresses the owner signed in from keep the normal rules, so nobody can lock another person out.",
    access: "public",
    rateLimit: perMinute(loginPerMinute),
    schemas: {
      body: LoginBody,
      responses: { 200: Session },
    },
    handler: async (request) => {
      const { username, password } = request.body
      // Counted for any name, known or not, so the slowdown does not tell which usernames exist.
      const account = userIdFor(username)
      const admission = slowdown.admit(account, request.ip)
      if (admission.kind === "wait") {
        const seconds = Math.ceil(admission.retryAfterMs / 1000)
        throw new RateLimited({
          message: `too many failed sign-ins to this account from your address; try again in ${seconds} s`,
          retryAfterSeconds: admission.retryAfterMs / 1000,
        })
      }
      if (admission.holdMs > 0) await setTimeout(admission.holdMs)
      const user = await app.run(authenticate(username, password))
      slowdown.succeeded(account, request.ip)
      return sessionFor(user)
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/refresh",
    summary: "Trade a refresh token for a new access token and the next refresh token",
    description: "Each refresh token works once. Presenting a used one again ends the whole session (all its tokens). " +
      `At most ${loginPerMinute} refreshes per minute from one address.`,
    access: "public",
    rateLimit: perMinute(loginPerMinute),
    schemas: { body: RefreshBody, responses: { 200: Session } },
    handler: async (request) => {
      const issued = await app.sessions.rotate(request.body.refreshToken)
      // The current role and status, not the ones at login: a role change or deactivation shows up here.
      const user = await app.run(requireActiveUser(issued.claims.sub))
      return { token: app.issueAccessToken(user, issued.claims), refreshToken: issued.refreshToken, expiresIn: app.accessTtlSeconds, user }
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/logout",
    summary: "End the session the refresh token belongs to",
    access: "public",
    rateLimit: perMinute(loginPerMinute),
    schemas: { body: RefreshBody, responses: { 204: null } },
    handler: async (request, reply) => {
      await app.sessions.end(request.body.refreshToken)
      return reply.code(204).send()
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/me",
    summary: "The caller's own account",
    access: ["admin", "operator", "auditor"],
    schemas: { responses: { 200: UserView } },
    handler: async (request) => app.run(loadUser(principalOf(request).id)),
  })

  addRoute(app, {
    method: "GET",
    url: "/users",
    summary: "List users, filtered and sorted, a page at a time",
    access: ["admin"],
    schemas: {
      querystring: Schema.Struct({
        ...pageQuery,
        role: Schema.optionalKey(RoleSchema),
        active: Schema.optionalKey(Schema.Boolean),
        q: Schema.optionalKey(SearchText(80)),
        sort: Schema.optionalKey(Schema.Literals(["username", "-username", "registered_at", "-registered_at"])),
      }),
      responses: { 200: Page(UserView) },
    },
    handler: async (request) => {
      const { limit, cursor, min_seq, role, active, q, sort } = request.query
      const page = await app.run(listUsers({ limit, cursor, minSeq: min_seq, role, active, search: q, sort }))
      return { items: page.items.map(userFromRow), next_cursor: page.next_cursor }
    },
  })

  addRoute(app, {
    method: "PATCH",
    url: "/users/:id",
    summary: "Change a user's role and/or contact details",
    description: "A role change ends the user's current access tokens (the next refresh carries the new role).",
    access: ["admin"],
    schemas: {
      params: IdParams,
      body: UserChange,
      responses: { 200: Schema.Struct({ user: UserView, seq: Seq }) },
    },
    handler: async (request) => {
      const { id } = request.params
      const { role, contact } = request.body
      refuseSelf(request, id, role !== undefined, "change their own role")
      const context = commandContext(request)
      let result: { user: User; seq: number } | undefined
      if (contact !== undefined) {
        const current = await app.run(loadUser(id))
        const merged = { ...current.contact, ...contact, preferences: { ...current.contact.preferences, ...contact.preferences } }
        result = await app.command("changeUserContact", changeUserContact(id, merged, context))
      }
      if (role !== undefined) {
        result = await app.command("changeUserRole", changeUserRole(id, role, context))
        await app.sessions.revokeUser(id, "access")
      }
      return result!
    },
  })

  addRoute(app, {
    method: "DELETE",
    url: "/users/:id",
    summary: "Deactivate a user: every session ends at once",
    access: ["admin"],
    schemas: { params: IdParams, responses: { 200: Schema.Struct({ user: UserView, seq: Seq }) } },
    handler: async (request) => {
      const { id } = request.params
      refuseSelf(request, id, true, "deactivate themselves")
      const result = await app.command("deactivateUser", deactivateUser(id, commandContext(request)))
      await app.sessions.revokeUser(id, "all")
      return result
    },
  })
}

/** An admin locking themselves out (demoted or deactivated) would need the CLI to recover: refused here. */
function refuseSelf(request: FastifyRequest, userId: string, applies: boolean, what: string) {
  if (applies && principalOf(request).id === userId) throw new Forbidden({ message: `an admin cannot ${what}` })
}
