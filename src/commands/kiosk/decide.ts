// The kiosk's rules: one kiosk per code; one operator at a time (the same operator again is a no-op, someone
// else is a conflict); a pairing label works once (each assignment or unassignment moves the pairing version, and
// a pairing made with an older version's label is refused); a decommissioned kiosk changes no more; offline/online
// alerts fire once per transition.
import { accept, type Decider, nothingToDo, reject } from "../shared/decider.ts"
import { Conflict, NotFound } from "../shared/errors.ts"
import type { KioskEvent } from "./events.ts"
import { evolveKiosk, initialKioskState, type KioskState } from "./state.ts"

export type { Connectivity, KioskState } from "./state.ts"

export type KioskCommand =
  | { readonly type: "RegisterKiosk"; readonly kioskId: string; readonly code: string; readonly name: string; readonly location: string; readonly credentialHash: string }
  | { readonly type: "RenameKiosk"; readonly name: string; readonly location: string }
  /** `pairingVersion`: the version whose label the operator presented (checked by the handler, which holds the key). */
  | { readonly type: "AssignKiosk"; readonly operatorId: string; readonly pairingVersion: number }
  | { readonly type: "UnassignKiosk" }
  | { readonly type: "RotateKioskCredential"; readonly credentialHash: string }
  | { readonly type: "MarkKioskOffline"; readonly lastSeenAt: string | null }
  | { readonly type: "MarkKioskOnline"; readonly at: string }
  | { readonly type: "DecommissionKiosk" }

function decide(command: KioskCommand, state: KioskState) {
  if (command.type === "RegisterKiosk") {
    if (state.status !== "none") return reject(new Conflict({ message: `kiosk code "${command.code}" is already registered` }))
    const { type: _, ...data } = command
    return accept<KioskEvent>({ type: "KioskRegistered", data })
  }
  if (state.status === "none") return reject(new NotFound({ message: "kiosk not found" }))
  const kioskId = state.kioskId
  if (state.status === "decommissioned") {
    // Watchers may still report on a retired kiosk; that is not an error, there is just nothing to do.
    if (command.type === "MarkKioskOffline" || command.type === "MarkKioskOnline" || command.type === "DecommissionKiosk") return nothingToDo
    return reject(new Conflict({ message: "kiosk is decommissioned" }))
  }
  switch (command.type) {
    case "RenameKiosk":
      return command.name === state.name && command.location === state.location
        ? nothingToDo
        : accept<KioskEvent>({ type: "KioskRenamed", data: { kioskId, name: command.name, location: command.location } })
    case "AssignKiosk":
      if (state.operatorId === command.operatorId) return nothingToDo
      if (command.pairingVersion !== state.pairingVersion) {
        return reject(new Conflict({ message: "this pairing label was already used: the kiosk shows a new one" }))
      }
      if (state.operatorId !== null) return reject(new Conflict({ message: "kiosk is already assigned to another operator" }))
      return accept<KioskEvent>({ type: "KioskAssigned", data: { kioskId, operatorId: command.operatorId } })
    case "UnassignKiosk":
      return state.operatorId === null
        ? nothingToDo
        : accept<KioskEvent>({ type: "KioskUnassigned", data: { kioskId, operatorId: state.operatorId } })
    case "RotateKioskCredential":
      return accept<KioskEvent>({
        type: "KioskCredentialRotated",
        data: { kioskId, credentialHash: command.credentialHash, credentialVersion: state.credentialVersion + 1 },
      })
    case "MarkKioskOffline":
      return state.connectivity === "offline"
        ? nothingToDo
        : accept<KioskEvent>({ type: "KioskWentOffline", data: { kioskId, lastSeenAt: command.lastSeenAt } })
    case "MarkKioskOnline":
      return state.connectivity === "online"
        ? nothingToDo
        : accept<KioskEvent>({ type: "KioskCameOnline", data: { kioskId, at: command.at } })
    case "DecommissionKiosk":
      return accept<KioskEvent>({ type: "KioskDecommissioned", data: { kioskId } })
  }
}

export const kioskDecider: Decider<KioskState, KioskCommand, KioskEvent> & { readonly name: "kiosk"; readonly snapshotVersion: 2 } = {
  name: "kiosk",
  // 2: the state carries pairingVersion.
  snapshotVersion: 2,
  initialState: initialKioskState,
  decide,
  evolve: evolveKiosk,
}
