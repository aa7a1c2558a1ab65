// /auth: sign-up (operators only, can be switched off), login, refresh, logout, and the caller's own account
// (contact, notification preferences, password); the admin's user management is in users.ts. Every session change
// goes through the session store; every account change through the user command handlers.
import { setTimeout } from "node:timers/promises"
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import {
  authenticate, changeOwnPassword, changeUserContact, type Contact, Forbidden, loadUser, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH,
  MIN_PASSWORD_SCORE, registerUser, requireActiveUser, type Role, Text, userIdFor, type UserView as User,
} from "../../commands/index.ts"
import { principalOf } from "../auth/authenticate.ts"
import { loginSlowdown } from "../auth/loginSlowdown.ts"
import { commandContext } from "../http/requestContext.ts"
import { RateLimited } from "../problems.ts"
import { addRoute } from "../route.ts"
import { ContactInput, Password, Seq, Username, UserView } from "../shapes.ts"

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
export const OwnChange = Schema.Struct({ contact: ContactChange })
export const PasswordChange = Schema.Struct({
  current_password: Schema.String.check(Schema.isMaxCodePoints(MAX_PASSWORD_LENGTH)),
  new_password: Password,
})

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
    method: "PATCH",
    url: "/me",
    summary: "Change the caller's own contact details and notification preferences",
    description: "Fields left out keep their value; `contact.preferences.kinds` says which kinds of notification go " +
      "to which channel (receipts for each sale are off unless asked for).",
    access: ["admin", "operator", "auditor"],
    schemas: { body: OwnChange, responses: { 200: Schema.Struct({ user: UserView, seq: Seq }) } },
    handler: async (request) => {
      const { id } = principalOf(request)
      const current = await app.run(loadUser(id))
      const merged = mergeContact(current.contact, request.body.contact)
      return app.command("changeUserContact", changeUserContact(id, merged, commandContext(request)))
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/me/password",
    summary: "Change the caller's own password (the current one is required)",
    description: "A wrong `current_password` is a 422 pointing at it; the new one must pass the same policy as sign-up " +
      "(422 pointing at `/new_password`). Every session of the account ends, this one included, and a new session is " +
      `answered instead. At most ${loginPerMinute} attempts per minute from one address.`,
    access: ["admin", "operator", "auditor"],
    rateLimit: perMinute(loginPerMinute),
    schemas: { body: PasswordChange, responses: { 200: Schema.Struct({ ...Session.fields, seq: Seq }) } },
    handler: async (request) => {
      const { id } = principalOf(request)
      const { current_password: current, new_password: next } = request.body
      const { user, seq } = await app.command("changeOwnPassword", changeOwnPassword(id, { current, next }, commandContext(request)))
      // Whoever else holds a session of this account (a stolen token, a forgotten tab) loses it.
      await app.sessions.revokeUser(id, "all")
      return { ...(await sessionFor(user)), seq }
    },
  })
}

/** A contact change laid over the current contact: what it leaves out keeps its value. */
export function mergeContact(current: Contact, change: typeof ContactChange.Type): Contact {
  return { ...current, ...change, preferences: { ...current.preferences, ...change.preferences } }
}
