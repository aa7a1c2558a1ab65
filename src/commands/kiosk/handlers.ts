// Kiosk commands. A kiosk's id derives from its code, so registering a code twice collides on the subject;
// pairing by a scanned code finds the kiosk without any read model.
import { Effect, Option, Redacted } from "effect"
import { newCode, Settings } from "../../platform/index.ts"
import { aggregate } from "../shared/aggregate.ts"
import { kioskIdFor, normalizeKioskCode } from "../identity.ts"
import type { CommandContext } from "../shared/envelope.ts"
import { Forbidden, NotFound, Unauthorized } from "../shared/errors.ts"
import { requireActiveUser } from "../user/handlers.ts"
import { kioskView } from "../views.ts"
import { type KioskCommand, kioskDecider, type KioskState } from "./decide.ts"
import { admitsDeviceToken, issueDeviceToken, kioskIdOfToken } from "./deviceToken.ts"
import { KioskStates } from "./kioskStates.ts"
import { pairingCodeText, pairingSecret, pairingSecretMatches, parsePairingCode } from "./pairingCode.ts"

const kiosks = aggregate(kioskDecider, "KIOSKS", (names, kioskId) => names.subject.kiosk(kioskId))

const deviceTokenKey = Effect.map(Settings, (s) => Redacted.value(s.deviceTokenKey))

const runKioskCommand = Effect.fnUntraced(function* (kioskId: string, command: KioskCommand, context: CommandContext) {
  const result = yield* kiosks.run(kioskId, command, context)
  const states = yield* Effect.serviceOption(KioskStates)
  if (Option.isSome(states) && result.events.length > 0) states.value.wrote(kioskId, result.state, result.seq)
  return { kiosk: kioskView(result.state as Exclude<KioskState, { status: "none" }>), seq: result.seq, changed: result.events.length > 0 }
})

export const loadKioskState = Effect.fn("loadKioskState")(function* (kioskId: string) {
  return (yield* kiosks.load(kioskId)).state
})

/**
 * The kiosk as a kiosk's own request sees it (its device-token check, its payment's decision): from this process's
 * kiosk states when it has them and they are within their staleness bound (kioskStates.ts), else from the store.
 */
export const currentKioskState = Effect.fnUntraced(function* (kioskId: string) {
  const states = yield* Effect.serviceOption(KioskStates)
  const known = Option.isSome(states) ? states.value.current(kioskId) : undefined
  return known ?? (yield* loadKioskState(kioskId))
})

export const loadKiosk = Effect.fn("loadKiosk")(function* (kioskId: string) {
  const state = yield* loadKioskState(kioskId)
  if (state.status === "none") return yield* new NotFound({ message: "kiosk not found" })
  return kioskView(state)
})

export interface RegisterKiosk {
  readonly name: string
  readonly location: string
  /** The code printed on the QR label; generated (60 random bits) when not given. */
  readonly code?: string | undefined
}

/** Registers a kiosk and issues its device token: the only time the token is ever shown. */
export const registerKiosk = Effect.fn("registerKiosk")(function* (input: RegisterKiosk, context: CommandContext) {
  const code = normalizeKioskCode(input.code ?? `KSK-${newCode(3, 4)}`)
  const kioskId = kioskIdFor(code)
  const { token, hash } = issueDeviceToken(kioskId, yield* deviceTokenKey)
  const result = yield* runKioskCommand(
    kioskId,
    { type: "RegisterKiosk", kioskId, code, name: input.name, location: input.location, credentialHash: hash },
    context,
  )
  return { ...result, deviceToken: token }
})

export const renameKiosk = (kioskId: string, input: { readonly name: string; readonly location: string }, context: CommandContext) =>
  runKioskCommand(kioskId, { type: "RenameKiosk", name: input.name, location: input.location }, context)

/**
 * Pairs the kiosk whose QR label was scanned with an operator (the caller). The label's secret must be the kiosk's
 * current one; the operator who already holds the kiosk may send the label they paired with again (a retry).
 * Anything else — an unknown kiosk, a wrong secret, a label already used — gets the same answer.
 */
export const assignKioskByCode = Effect.fn("assignKioskByCode")(function* (pairingCode: string, operatorId: string, context: CommandContext) {
  const operator = yield* requireActiveUser(operatorId)
  if (operator.role !== "operator" && operator.role !== "admin") {
    return yield* new Forbidden({ message: "only operators can be assigned kiosks" })
  }
  const refused = new NotFound({ message: "no kiosk pairs with this code: it is unknown, or its label was already used or replaced" })
  const label = parsePairingCode(pairingCode)
  if (label === undefined) return yield* refused
  const kioskId = kioskIdFor(label.code)
  const state = yield* loadKioskState(kioskId)
  if (state.status === "none") return yield* refused
  const key = yield* deviceTokenKey
  const matches = (version: number) => version >= 0 && pairingSecretMatches(label.secret, kioskId, version, key)
  const version = matches(state.pairingVersion)
    ? state.pairingVersion
    : state.operatorId === operatorId && matches(state.pairingVersion - 1) ? state.pairingVersion - 1 : undefined
  if (version === undefined) return yield* refused
  return yield* runKioskCommand(kioskId, { type: "AssignKiosk", operatorId, pairingVersion: version }, context)
})

/** What the kiosk's printable label shows: its current pairing code (the QR symbol), code, name and location. */
export const kioskPairingLabel = Effect.fn("kioskPairingLabel")(function* (kioskId: string) {
  const state = yield* loadKioskState(kioskId)
  if (state.status === "none") return yield* new NotFound({ message: "kiosk not found" })
  const pairingCode = pairingCodeText(state.code, pairingSecret(kioskId, state.pairingVersion, yield* deviceTokenKey))
  return { code: state.code, name: state.name, location: state.location, pairingCode }
})

/**
 * Pairs a kiosk as an operator standing in front of it would: reads its current label, then presents it. For the
 * CLI's demo seed and for tests, which run with the keys; over HTTP only a scanned label pairs.
 */
export const pairKioskFromItsLabel = (code: string, operatorId: string, context: CommandContext) =>
  Effect.flatMap(kioskPairingLabel(kioskIdFor(code)), (label) => assignKioskByCode(label.pairingCode, operatorId, context))

export const unassignKiosk = (kioskId: string, context: CommandContext) =>
  runKioskCommand(kioskId, { type: "UnassignKiosk" }, context)

/** Issues a new device token; the old one stops working at once. */
export const rotateKioskCredential = Effect.fn("rotateKioskCredential")(function* (kioskId: string, context: CommandContext) {
  const { token, hash } = issueDeviceToken(kioskId, yield* deviceTokenKey)
  const result = yield* runKioskCommand(kioskId, { type: "RotateKioskCredential", credentialHash: hash }, context)
  return { ...result, deviceToken: token }
})

export const decommissionKiosk = (kioskId: string, context: CommandContext) =>
  runKioskCommand(kioskId, { type: "DecommissionKiosk" }, context)

export const markKioskOffline = (kioskId: string, lastSeenAt: string | null, context: CommandContext) =>
  runKioskCommand(kioskId, { type: "MarkKioskOffline", lastSeenAt }, context)

export const markKioskOnline = (kioskId: string, at: string, context: CommandContext) =>
  runKioskCommand(kioskId, { type: "MarkKioskOnline", at }, context)

/** Who a device token belongs to, if it is the kiosk's current credential and the kiosk is in service. */
export const verifyDeviceToken = Effect.fnUntraced(function* (token: string) {
  const refused = () => new Unauthorized({ message: "invalid or revoked device token" })
  const kioskId = kioskIdOfToken(token)
  if (kioskId === undefined) return yield* refused()
  const state = yield* currentKioskState(kioskId)
  if (!admitsDeviceToken(state, token, yield* deviceTokenKey) || state.status === "none") return yield* refused()
  return { kioskId, credentialVersion: state.credentialVersion, operatorId: state.operatorId }
})
