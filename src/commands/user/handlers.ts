// User commands: load the account from its own subject, decide, append. Registration's uniqueness is the
// subject itself (the id derives from the username), so two racing sign-ups cannot both win.
import { Effect } from "effect"
import { aggregate } from "../shared/aggregate.ts"
import { userIdFor } from "../identity.ts"
import type { CommandContext } from "../shared/envelope.ts"
import { NotFound, Unauthorized } from "../shared/errors.ts"
import type { Role } from "../shared/event.ts"
import { userView } from "../views.ts"
import { type UserCommand, userDecider, type UserState } from "./decide.ts"
import { type Contact, DEFAULT_NOTIFICATION_KINDS } from "./events.ts"
import { hashPassword, verifyPassword } from "./password.ts"
import { requireStrongPassword } from "./passwordPolicy.ts"

export const defaultContact: Contact = {
  displayName: null, email: null, phone: null, language: "en",
  preferences: { email: true, sms: false, push: false, kinds: DEFAULT_NOTIFICATION_KINDS },
}

const users = aggregate(userDecider, "USERS", (names, userId) => names.subject.user(userId))

const runUserCommand = Effect.fnUntraced(function* (userId: string, command: UserCommand, context: CommandContext) {
  const result = yield* users.run(userId, command, context)
  return { user: userView(result.state as Exclude<UserState, { status: "none" }>), seq: result.seq }
})

export const loadUserState = Effect.fn("loadUserState")(function* (userId: string) {
  return (yield* users.load(userId)).state
})

export const loadUser = Effect.fn("loadUser")(function* (userId: string) {
  const state = yield* loadUserState(userId)
  if (state.status === "none") return yield* new NotFound({ message: "user not found" })
  return userView(state)
})

export interface RegisterUser {
  readonly username: string
  readonly password: string
  readonly role: Role
  readonly contact?: Partial<Contact> | undefined
}

export const registerUser = Effect.fn("registerUser")(function* (input: RegisterUser, context: CommandContext) {
  const userId = userIdFor(input.username)
  const contact = { ...defaultContact, ...input.contact, preferences: { ...defaultContact.preferences, ...input.contact?.preferences } }
  const weak = requireStrongPassword(input.password, { username: input.username, ...contact })
  if (weak !== undefined) return yield* weak
  const passwordHash = yield* Effect.promise(() => hashPassword(input.password))
  return yield* runUserCommand(
    userId,
    { type: "RegisterUser", userId, username: input.username.trim(), role: input.role, passwordHash, contact },
    context,
  )
})

/** Checks a username and password; the same answer (and about the same time) whichever part is wrong. */
export const authenticate = Effect.fn("authenticate")(function* (username: string, password: string) {
  const state = yield* loadUserState(userIdFor(username))
  const known = state.status === "none" ? undefined : state.passwordHash
  const ok = yield* Effect.promise(() => verifyPassword(known, password))
  if (!ok || state.status === "none") return yield* new Unauthorized({ message: "invalid username or password" })
  if (state.status === "deactivated") return yield* new Unauthorized({ message: "this account is deactivated" })
  return userView(state)
})

export const changeUserRole = (userId: string, role: Role, context: CommandContext) =>
  runUserCommand(userId, { type: "ChangeUserRole", role }, context)

export const changeUserContact = (userId: string, contact: Contact, context: CommandContext) =>
  runUserCommand(userId, { type: "ChangeUserContact", contact }, context)

/** A new password for this account, once the policy accepts it (its own words count as known words). */
const newPasswordHash = Effect.fnUntraced(function* (state: UserState, password: string, field: string) {
  if (state.status !== "none") {
    const weak = requireStrongPassword(password, { username: state.username, ...state.contact }, field)
    if (weak !== undefined) return yield* weak
  }
  return yield* Effect.promise(() => hashPassword(password))
})

/** The user changes their own password: the current one must be right; the new one passes the policy. */
export const changeOwnPassword = Effect.fn("changeOwnPassword")(function* (
  userId: string, passwords: { readonly current: string; readonly next: string }, context: CommandContext,
) {
  const state = yield* loadUserState(userId)
  const currentPasswordMatched = yield* Effect.promise(() => verifyPassword(state.status === "none" ? undefined : state.passwordHash, passwords.current))
  // A wrong current password is refused before the new one is judged: the answer says nothing about the new one.
  const passwordHash = currentPasswordMatched ? yield* newPasswordHash(state, passwords.next, "new_password") : ""
  return yield* runUserCommand(userId, { type: "ChangeUserPassword", passwordHash, currentPasswordMatched }, context)
})

/** An admin (or the CLI) sets a new password for someone; the caller ends that user's sessions. */
export const resetUserPassword = Effect.fn("resetUserPassword")(function* (userId: string, password: string, context: CommandContext) {
  const state = yield* loadUserState(userId)
  const passwordHash = yield* newPasswordHash(state, password, "password")
  return yield* runUserCommand(userId, { type: "ResetUserPassword", passwordHash }, context)
})

export const addPushDevice = (userId: string, deviceToken: string, context: CommandContext) =>
  runUserCommand(userId, { type: "AddPushDevice", deviceToken }, context)

export const removePushDevice = (userId: string, deviceToken: string, reason: "user" | "stale", context: CommandContext) =>
  runUserCommand(userId, { type: "RemovePushDevice", deviceToken, reason }, context)

export const deactivateUser = (userId: string, context: CommandContext) =>
  runUserCommand(userId, { type: "DeactivateUser" }, context)

/** A person acting through the system must hold an active account: a deactivated user can do nothing. */
export const requireActiveUser = Effect.fn("requireActiveUser")(function* (userId: string) {
  const state = yield* loadUserState(userId)
  if (state.status !== "active") return yield* new Unauthorized({ message: "this account is not active" })
  return userView(state)
})
