// A kiosk's state: the one fold of its events. The decider decides on it, and every reader that needs a kiosk as
// it is now (the edge's in-process kiosk states, for the device-token check and the payment decision) folds the
// same events with the same function, so that no two rooms can disagree on what a kiosk is.
import type { KioskEvent } from "./events.ts"

export type Connectivity = "unknown" | "online" | "offline"

export type KioskState =
  | { readonly status: "none" }
  | {
    readonly status: "active" | "decommissioned"
    readonly kioskId: string
    readonly code: string
    readonly name: string
    readonly location: string
    /** HMAC-SHA-256 of the current device token (deviceToken.ts); a rotation replaces it. */
    readonly credentialHash: string
    /** 1 at registration, +1 per rotation. */
    readonly credentialVersion: number
    /** The operator it is assigned to; null when unassigned or decommissioned. */
    readonly operatorId: string | null
    /** Assignments and unassignments so far: the pairing label's secret is derived from it (pairingCode.ts). */
    readonly pairingVersion: number
    readonly connectivity: Connectivity
  }

export const initialKioskState = (): KioskState => ({ status: "none" })

/** The kiosk after one of its events. Pure; events of other kiosks must not be passed. */
export function evolveKiosk(state: KioskState, event: KioskEvent): KioskState {
  if (event.type === "KioskRegistered") {
    const { kioskId, code, name, location, credentialHash } = event.data
    return { status: "active", kioskId, code, name, location, credentialHash, credentialVersion: 1, operatorId: null, pairingVersion: 0, connectivity: "unknown" }
  }
  if (state.status === "none") return state
  switch (event.type) {
    case "KioskRenamed":
      return { ...state, name: event.data.name, location: event.data.location }
    case "KioskAssigned":
      return { ...state, operatorId: event.data.operatorId, pairingVersion: state.pairingVersion + 1 }
    case "KioskUnassigned":
      return { ...state, operatorId: null, pairingVersion: state.pairingVersion + 1 }
    case "KioskCredentialRotated":
      return { ...state, credentialHash: event.data.credentialHash, credentialVersion: event.data.credentialVersion }
    case "KioskWentOffline":
      return { ...state, connectivity: "offline" }
    case "KioskCameOnline":
      return { ...state, connectivity: "online" }
    case "KioskDecommissioned":
      return { ...state, status: "decommissioned", operatorId: null }
  }
}

/** A kiosk's state from its events, oldest first. */
export const foldKiosk = (events: Iterable<KioskEvent>, from: KioskState = initialKioskState()): KioskState => {
  let state = from
  for (const event of events) state = evolveKiosk(state, event)
  return state
}

const KIOSK_EVENT_TYPES: ReadonlySet<string> = new Set<KioskEvent["type"]>([
  "KioskRegistered", "KioskRenamed", "KioskAssigned", "KioskUnassigned", "KioskCredentialRotated", "KioskWentOffline",
  "KioskCameOnline", "KioskDecommissioned",
])

/** Narrows an event read from the KIOSKS stream (or anywhere) to a kiosk event. */
export const isKioskEvent = (event: { readonly type: string }): event is KioskEvent => KIOSK_EVENT_TYPES.has(event.type)
