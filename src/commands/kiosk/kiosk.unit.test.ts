import { describe, expect, it } from "vitest"
import { DeciderSpecification } from "../../../test/support/deciderSpec.ts"
import { kioskDecider } from "./decide.ts"
import type { KioskEvent } from "./events.ts"

const given = DeciderSpecification.for(kioskDecider)
const kioskId = "ksk_0000000000000000000000000a"
const ana = "usr_00000000000000000000000ana"
const bob = "usr_00000000000000000000000bob"
const registered: KioskEvent = {
  type: "KioskRegistered",
  data: { kioskId, code: "KSK-7F3A-Q2ZP", name: "Lobby", location: "Madrid", credentialHash: "h1" },
}
const assignedToAna: KioskEvent = { type: "KioskAssigned", data: { kioskId, operatorId: ana } }
const unassignedFromAna: KioskEvent = { type: "KioskUnassigned", data: { kioskId, operatorId: ana } }
const decommissioned: KioskEvent = { type: "KioskDecommissioned", data: { kioskId } }
const offline: KioskEvent = { type: "KioskWentOffline", data: { kioskId, lastSeenAt: "2026-11-28T10:00:00Z" } }

describe("kiosk", () => {
  it("registers a kiosk under a new code", () =>
    given().when({ type: "RegisterKiosk", kioskId, code: "KSK-7F3A-Q2ZP", name: "Lobby", location: "Madrid", credentialHash: "h1" })
      .then(registered))

  it("refuses a code that is already registered", () =>
    given(registered).when({ type: "RegisterKiosk", kioskId, code: "KSK-7F3A-Q2ZP", name: "Other", location: "", credentialHash: "h2" })
      .thenFails("Conflict", /already registered/))

  describe("assignment: one operator at a time", () => {
    it("assigns an unassigned kiosk", () =>
      given(registered).when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 0 }).then(assignedToAna))
    it("is a no-op for the same operator", () =>
      given(registered, assignedToAna).when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 0 }).thenNothingHappens())
    it("is a conflict for someone else", () =>
      given(registered, assignedToAna).when({ type: "AssignKiosk", operatorId: bob, pairingVersion: 1 }).thenFails("Conflict", /another operator/))
    it("can be reassigned after unassignment", () =>
      given(registered, assignedToAna, unassignedFromAna)
        .when({ type: "AssignKiosk", operatorId: bob, pairingVersion: 2 }).then({ type: "KioskAssigned", data: { kioskId, operatorId: bob } }))
    it("cannot assign a kiosk that does not exist", () =>
      given().when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 0 }).thenFails("NotFound"))
  })

  describe("a pairing label works once", () => {
    it("refuses the label the kiosk showed before it was paired, once it is released again", () =>
      given(registered, assignedToAna, unassignedFromAna)
        .when({ type: "AssignKiosk", operatorId: bob, pairingVersion: 0 }).thenFails("Conflict", /already used/))
    it("refuses the previous holder's label after a hand-over to someone else and back", () =>
      given(registered, assignedToAna, unassignedFromAna, { type: "KioskAssigned", data: { kioskId, operatorId: bob } },
        { type: "KioskUnassigned", data: { kioskId, operatorId: bob } })
        .when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 2 }).thenFails("Conflict", /already used/))
    it("takes the label of the current version after each pairing and unpairing", () =>
      given(registered, assignedToAna, unassignedFromAna, { type: "KioskAssigned", data: { kioskId, operatorId: bob } },
        { type: "KioskUnassigned", data: { kioskId, operatorId: bob } })
        .when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 4 }).then({ type: "KioskAssigned", data: { kioskId, operatorId: ana } }))
    it("refuses a label from the future (a version not reached yet)", () =>
      given(registered).when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 1 }).thenFails("Conflict", /already used/))
    it("counts assignments and unassignments in the state, nothing else", () => {
      const state = [registered, assignedToAna, offline, unassignedFromAna].reduce(kioskDecider.evolve, kioskDecider.initialState())
      expect(state).toMatchObject({ status: "active", pairingVersion: 2, operatorId: null })
    })
  })

  it("unassigns, and unassigning an unassigned kiosk is nothing to do", () => {
    given(registered, assignedToAna).when({ type: "UnassignKiosk" }).then({ type: "KioskUnassigned", data: { kioskId, operatorId: ana } })
    given(registered).when({ type: "UnassignKiosk" }).thenNothingHappens()
  })

  it("renames or moves, ignoring an identical rename", () => {
    given(registered).when({ type: "RenameKiosk", name: "Entrance", location: "Madrid" })
      .then({ type: "KioskRenamed", data: { kioskId, name: "Entrance", location: "Madrid" } })
    given(registered).when({ type: "RenameKiosk", name: "Lobby", location: "Madrid" }).thenNothingHappens()
  })

  it("rotates the device credential with a new version each time", () =>
    given(registered, { type: "KioskCredentialRotated", data: { kioskId, credentialHash: "h2", credentialVersion: 2 } })
      .when({ type: "RotateKioskCredential", credentialHash: "h3" })
      .then({ type: "KioskCredentialRotated", data: { kioskId, credentialHash: "h3", credentialVersion: 3 } }))

  describe("offline alerts fire once per transition", () => {
    it("goes offline once", () => {
      given(registered).when({ type: "MarkKioskOffline", lastSeenAt: "2026-11-28T10:00:00Z" }).then(offline)
      given(registered, offline).when({ type: "MarkKioskOffline", lastSeenAt: "2026-11-28T10:00:00Z" }).thenNothingHappens()
    })
    it("comes back online once", () => {
      const back: KioskEvent = { type: "KioskCameOnline", data: { kioskId, at: "2026-11-28T10:05:00Z" } }
      given(registered, offline).when({ type: "MarkKioskOnline", at: "2026-11-28T10:05:00Z" }).then(back)
      given(registered, offline, back).when({ type: "MarkKioskOnline", at: "2026-11-28T10:06:00Z" }).thenNothingHappens()
    })
  })

  describe("a decommissioned kiosk changes no more", () => {
    it("refuses assignment, renames and rotation", () => {
      given(registered, decommissioned).when({ type: "AssignKiosk", operatorId: ana, pairingVersion: 0 }).thenFails("Conflict", /decommissioned/)
      given(registered, decommissioned).when({ type: "RenameKiosk", name: "X", location: "Y" }).thenFails("Conflict")
      given(registered, decommissioned).when({ type: "RotateKioskCredential", credentialHash: "h9" }).thenFails("Conflict")
    })
    it("ignores watchers' reports", () =>
      given(registered, decommissioned).when({ type: "MarkKioskOffline", lastSeenAt: null }).thenNothingHappens())
    it("is decommissioned once", () =>
      given(registered, assignedToAna).when({ type: "DecommissionKiosk" }).then(decommissioned))
  })
})
