// /auth/users (admin): list, add a user with any role, change a role or contact, reset a forgotten password, and
// deactivate. A reset or a deactivation ends every session of the user (open sockets close through the session
// store's revocation watch); a role change ends their access tokens.
import { Schema } from "effect"
import type { FastifyInstance, FastifyRequest } from "fastify"
import {
  changeUserContact, changeUserRole, deactivateUser, Forbidden, loadUser, registerUser, resetUserPassword, type UserView as User,
} from "../../commands/index.ts"
import { listUsers } from "../../projections/index.ts"
import { principalOf } from "../auth/authenticate.ts"
import { commandContext } from "../http/requestContext.ts"
import { addRoute } from "../route.ts"
import { userFromRow } from "../views.ts"
import { IdParams, Page, pageQuery, Password, Role as RoleSchema, SearchText, Seq, Username, UserView } from "../shapes.ts"
import { ContactChange, mergeContact } from "./auth.ts"

export const UserChange = Schema.Struct({ role: Schema.optionalKey(RoleSchema), contact: Schema.optionalKey(ContactChange) })
  .check(Schema.isMinProperties(1))
export const NewUser = Schema.Struct({ username: Username, role: RoleSchema, password: Password, contact: Schema.optionalKey(ContactChange) })
export const PasswordReset = Schema.Struct({ password: Password })

const Changed = Schema.Struct({ user: UserView, seq: Seq })

export async function userRoutes(app: FastifyInstance) {
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
    method: "POST",
    url: "/users",
    summary: "Add a user with any role and an initial password",
    description: "The password must pass the same policy as sign-up (422 pointing at `/password`); a taken username " +
      "is a 409. Usernames are never reused, even after a deactivation.",
    access: ["admin"],
    schemas: { body: NewUser, responses: { 201: Changed } },
    handler: async (request, reply) => {
      const { username, role, password, contact } = request.body
      const result = await app.command("registerUser", registerUser({ username, role, password, contact }, commandContext(request)))
      return reply.code(201).send(result)
    },
  })

  addRoute(app, {
    method: "PATCH",
    url: "/users/:id",
    summary: "Change a user's role and/or contact details",
    description: "A role change ends the user's current access tokens (the next refresh carries the new role).",
    access: ["admin"],
    schemas: { params: IdParams, body: UserChange, responses: { 200: Changed } },
    handler: async (request) => {
      const { id } = request.params
      const { role, contact } = request.body
      refuseSelf(request, id, role !== undefined, "change their own role")
      const context = commandContext(request)
      let result: { user: User; seq: number } | undefined
      if (contact !== undefined) {
        const current = await app.run(loadUser(id))
        result = await app.command("changeUserContact", changeUserContact(id, mergeContact(current.contact, contact), context))
      }
      if (role !== undefined) {
        result = await app.command("changeUserRole", changeUserRole(id, role, context))
        await app.sessions.revokeUser(id, "access")
      }
      return result!
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/users/:id/password",
    summary: "Reset a user's password (they forgot it): every session of theirs ends at once",
    description: "The new password must pass the sign-up policy (422 pointing at `/password`). An admin changes their " +
      "own password with POST /auth/me/password, which asks for the current one.",
    access: ["admin"],
    schemas: { params: IdParams, body: PasswordReset, responses: { 200: Changed } },
    handler: async (request) => {
      const { id } = request.params
      refuseSelf(request, id, true, "reset their own password (change it instead)")
      const result = await app.command("resetUserPassword", resetUserPassword(id, request.body.password, commandContext(request)))
      await app.sessions.revokeUser(id, "all")
      return result
    },
  })

  addRoute(app, {
    method: "DELETE",
    url: "/users/:id",
    summary: "Deactivate a user: every session ends at once",
    access: ["admin"],
    schemas: { params: IdParams, responses: { 200: Changed } },
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
