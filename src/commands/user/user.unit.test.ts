import { describe, expect, it } from "vitest"
import { DeciderSpecification } from "../../../test/support/deciderSpec.ts"
import { userDecider } from "./decide.ts"
import type { Contact, UserEvent } from "./events.ts"

const given = DeciderSpecification.for(userDecider)
const userId = "usr_0000000000000000000000000a"
const contact: Contact = { displayName: "Ana", email: "ana@example.com", phone: null, language: "es", preferences: { email: true, sms: false, push: false } }
const registered: UserEvent = { type: "UserRegistered", data: { userId, username: "ana", role: "operator", passwordHash: "$argon2id$h", contact } }
const deactivated: UserEvent = { type: "UserDeactivated", data: { userId } }

describe("user", () => {
  it("registers a new username", () =>
    given().when({ type: "RegisterUser", userId, username: "ana", role: "operator", passwordHash: "$argon2id$h", contact }).then(registered))

  it("refuses a username that is taken", () =>
    given(registered)
      .when({ type: "RegisterUser", userId, username: "ana", role: "admin", passwordHash: "x", contact })
      .thenFails("Conflict", /taken/))

  it("changes the role of an active user", () =>
    given(registered).when({ type: "ChangeUserRole", role: "auditor" })
      .then({ type: "UserRoleChanged", data: { userId, role: "auditor", previousRole: "operator" } }))

  it("treats the same role again as nothing to do", () =>
    given(registered).when({ type: "ChangeUserRole", role: "operator" }).thenNothingHappens())

  it("changes contact details, and ignores an identical change", () => {
    const next = { ...contact, phone: "+34600111222" }
    given(registered).when({ type: "ChangeUserContact", contact: next }).then({ type: "UserContactChanged", data: { userId, contact: next } })
    given(registered).when({ type: "ChangeUserContact", contact }).thenNothingHappens()
  })

  it("adds a push device once and removes it", () => {
    const added: UserEvent = { type: "UserPushDeviceAdded", data: { userId, deviceToken: "fcm-1" } }
    given(registered).when({ type: "AddPushDevice", deviceToken: "fcm-1" }).then(added)
    given(registered, added).when({ type: "AddPushDevice", deviceToken: "fcm-1" }).thenNothingHappens()
    given(registered, added).when({ type: "RemovePushDevice", deviceToken: "fcm-1", reason: "stale" })
      .then({ type: "UserPushDeviceRemoved", data: { userId, deviceToken: "fcm-1", reason: "stale" } })
    given(registered).when({ type: "RemovePushDevice", deviceToken: "fcm-1", reason: "user" }).thenNothingHappens()
  })

  it("changes the password when the user proved they know the current one", () =>
    given(registered).when({ type: "ChangeUserPassword", passwordHash: "$argon2id$new", currentPasswordMatched: true })
      .then({ type: "UserPasswordChanged", data: { userId, passwordHash: "$argon2id$new" } }))

  it("refuses a password change with a wrong current password, naming that field", () =>
    given(registered).when({ type: "ChangeUserPassword", passwordHash: "$argon2id$new", currentPasswordMatched: false })
      .thenFails("Invalid", /current password/))

  it("resets the password an admin sets, whatever the old one was, again and again", () => {
    const reset: UserEvent = { type: "UserPasswordReset", data: { userId, passwordHash: "$argon2id$reset" } }
    given(registered).when({ type: "ResetUserPassword", passwordHash: "$argon2id$reset" }).then(reset)
    given(registered, reset).when({ type: "ResetUserPassword", passwordHash: "$argon2id$again" })
      .then({ type: "UserPasswordReset", data: { userId, passwordHash: "$argon2id$again" } })
  })

  it("keeps the newest password hash, changed or reset", () => {
    const events: ReadonlyArray<UserEvent> = [
      registered, { type: "UserPasswordReset", data: { userId, passwordHash: "$r" } }, { type: "UserPasswordChanged", data: { userId, passwordHash: "$c" } },
    ]
    const state = events.reduce(userDecider.evolve, userDecider.initialState())
    expect(state).toMatchObject({ status: "active", passwordHash: "$c" })
  })

  it("deactivates an active user", () =>
    given(registered).when({ type: "DeactivateUser" }).then(deactivated))

  describe("a deactivated user can do nothing", () => {
    const commands = [
      { type: "ChangeUserRole", role: "admin" },
      { type: "ChangeUserContact", contact },
      { type: "ChangeUserPassword", passwordHash: "new", currentPasswordMatched: true },
      { type: "ResetUserPassword", passwordHash: "new" },
      { type: "AddPushDevice", deviceToken: "fcm-2" },
      { type: "RemovePushDevice", deviceToken: "fcm-2", reason: "user" },
      { type: "DeactivateUser" },
    ] as const
    for (const command of commands) {
      it(command.type, () => given(registered, deactivated).when(command).thenFails("Forbidden", /deactivated/))
    }
  })

  it("refuses commands for a user that does not exist", () =>
    given().when({ type: "ChangeUserRole", role: "admin" }).thenFails("NotFound"))
})
