// The user's rules: one account per username, roles and contact change only on an active account, a user changes
// their own password only by knowing the current one (an admin resets it instead), and a deactivated account can
// do nothing at all.
import { accept, type Decider, nothingToDo, reject } from "../shared/decider.ts"
import { Conflict, Forbidden, Invalid, NotFound } from "../shared/errors.ts"
import type { Role } from "../shared/event.ts"
import type { Contact, UserEvent } from "./events.ts"

export type UserState =
  | { readonly status: "none" }
  | {
    readonly status: "active" | "deactivated"
    readonly userId: string
    readonly username: string
    readonly role: Role
    readonly passwordHash: string
    readonly contact: Contact
    readonly pushDevices: ReadonlyArray<string>
  }

export type UserCommand =
  | { readonly type: "RegisterUser"; readonly userId: string; readonly username: string; readonly role: Role; readonly passwordHash: string; readonly contact: Contact }
  | { readonly type: "ChangeUserRole"; readonly role: Role }
  | { readonly type: "ChangeUserContact"; readonly contact: Contact }
  /** The user's own change: the handler checked the current password (a slow hash) and says whether it matched. */
  | { readonly type: "ChangeUserPassword"; readonly passwordHash: string; readonly currentPasswordMatched: boolean }
  | { readonly type: "ResetUserPassword"; readonly passwordHash: string }
  | { readonly type: "AddPushDevice"; readonly deviceToken: string }
  | { readonly type: "RemovePushDevice"; readonly deviceToken: string; readonly reason: "user" | "stale" }
  | { readonly type: "DeactivateUser" }

/** Every command but registration needs an existing, active account. */
export function requireActive(state: UserState) {
  if (state.status === "none") return reject(new NotFound({ message: "user not found" }))
  if (state.status === "deactivated") return reject(new Forbidden({ message: "user is deactivated" }))
  return undefined
}

const sameContact = (a: Contact, b: Contact) => JSON.stringify(a) === JSON.stringify(b)

function decide(command: UserCommand, state: UserState) {
  if (command.type === "RegisterUser") {
    if (state.status !== "none") return reject(new Conflict({ message: `username "${command.username}" is taken` }))
    const { type: _, ...data } = command
    return accept<UserEvent>({ type: "UserRegistered", data })
  }
  const refused = requireActive(state)
  if (refused !== undefined || state.status === "none") return refused ?? nothingToDo
  const userId = state.userId
  switch (command.type) {
    case "ChangeUserRole":
      return command.role === state.role
        ? nothingToDo
        : accept<UserEvent>({ type: "UserRoleChanged", data: { userId, role: command.role, previousRole: state.role } })
    case "ChangeUserContact":
      return sameContact(command.contact, state.contact)
        ? nothingToDo
        : accept<UserEvent>({ type: "UserContactChanged", data: { userId, contact: command.contact } })
    case "ChangeUserPassword":
      return command.currentPasswordMatched
        ? accept<UserEvent>({ type: "UserPasswordChanged", data: { userId, passwordHash: command.passwordHash } })
        : reject(new Invalid({ message: "the current password is not right", field: { in: "body", name: "current_password" } }))
    case "ResetUserPassword":
      return accept<UserEvent>({ type: "UserPasswordReset", data: { userId, passwordHash: command.passwordHash } })
    case "AddPushDevice":
      return state.pushDevices.includes(command.deviceToken)
        ? nothingToDo
        : accept<UserEvent>({ type: "UserPushDeviceAdded", data: { userId, deviceToken: command.deviceToken } })
    case "RemovePushDevice":
      return state.pushDevices.includes(command.deviceToken)
        ? accept<UserEvent>({ type: "UserPushDeviceRemoved", data: { userId, deviceToken: command.deviceToken, reason: command.reason } })
        : nothingToDo
    case "DeactivateUser":
      return accept<UserEvent>({ type: "UserDeactivated", data: { userId } })
  }
}

function evolve(state: UserState, event: UserEvent): UserState {
  if (event.type === "UserRegistered") {
    const { userId, username, role, passwordHash, contact } = event.data
    return { status: "active", userId, username, role, passwordHash, contact, pushDevices: [] }
  }
  if (state.status === "none") return state
  switch (event.type) {
    case "UserRoleChanged":
      return { ...state, role: event.data.role }
    case "UserContactChanged":
      return { ...state, contact: event.data.contact }
    case "UserPasswordChanged":
    case "UserPasswordReset":
      return { ...state, passwordHash: event.data.passwordHash }
    case "UserPushDeviceAdded":
      return { ...state, pushDevices: [...state.pushDevices, event.data.deviceToken] }
    case "UserPushDeviceRemoved":
      return { ...state, pushDevices: state.pushDevices.filter((t) => t !== event.data.deviceToken) }
    case "UserDeactivated":
      return { ...state, status: "deactivated" }
  }
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> & { readonly name: "user"; readonly snapshotVersion: 1 } = {
  name: "user",
  snapshotVersion: 1,
  initialState: () => ({ status: "none" }),
  decide,
  evolve,
}
