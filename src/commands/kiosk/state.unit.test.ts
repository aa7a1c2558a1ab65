import { describe, expect, it } from "vitest"
import type { KioskEvent } from "./events.ts"
import { foldKiosk, initialKioskState, isKioskEvent } from "./state.ts"

const kioskId = "ksk_0000000000000000000000000a"
const ana = "usr_00000000000000000000000ana"
const registered: KioskEvent = {
  type: "KioskRegistered",
  data: { kioskId, code: "KSK-7F3A-Q2ZP", name: "Lobby", location: "Madrid", credentialHash: "h1" },
}

describe("the kiosk fold", () => {
  it("knows nothing of a kiosk before it is registered, and ignores events before that", () => {
    expect(foldKiosk([])).toEqual(initialKioskState())
    expect(foldKiosk([{ type: "KioskAssigned", data: { kioskId, operatorId: ana } }])).toEqual({ status: "none" })
  })

  it("follows owner, credential and connectivity", () => {
    const state = foldKiosk([
      registered,
      { type: "KioskAssigned", data: { kioskId, operatorId: ana } },
      { type: "KioskCredentialRotated", data: { kioskId, credentialHash: "h2", credentialVersion: 2 } },
      { type: "KioskCameOnline", data: { kioskId, at: "2026-11-28T10:05:00Z" } },
      { type: "KioskRenamed", data: { kioskId, name: "Entrance", location: "Sevilla" } },
    ])
    expect(state).toEqual({
      status: "active", kioskId, code: "KSK-7F3A-Q2ZP", name: "Entrance", location: "Sevilla", credentialHash: "h2",
      credentialVersion: 2, operatorId: ana, pairingVersion: 1, connectivity: "online",
    })
  })

  it("a decommissioned kiosk has no operator and stays decommissioned; folding on from a state is the same as from the start", () => {
    const assigned = foldKiosk([registered, { type: "KioskAssigned", data: { kioskId, operatorId: ana } }])
    const retired = foldKiosk([{ type: "KioskDecommissioned", data: { kioskId } }], assigned)
    expect(retired).toMatchObject({ status: "decommissioned", operatorId: null, credentialHash: "h1" })
    expect(retired).toEqual(foldKiosk([registered, { type: "KioskAssigned", data: { kioskId, operatorId: ana } }, { type: "KioskDecommissioned", data: { kioskId } }]))
  })

  it("tells kiosk events from others", () => {
    expect(isKioskEvent(registered)).toBe(true)
    expect(isKioskEvent({ type: "PaymentRecorded" })).toBe(false)
  })
})
