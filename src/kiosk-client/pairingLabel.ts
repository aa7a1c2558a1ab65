// A kiosk's own pairing label (its current pairing code as a QR symbol, SVG; it changes at every pairing), which the kiosk shows on screen for an operator to
// scan. Also the cheapest way to ask the edge "is this device token good?" before a kiosk adopts it.
import { kioskIdOfToken } from "../shared/index.ts"
import { type EdgeConnection, getPairingLabel, problemOf } from "./edgeCalls.ts"

export type PairingLabel =
  | { readonly kind: "label"; readonly kioskId: string; readonly svg: string }
  /** The edge answered with an error: 401 = the token is not (or no longer) valid. */
  | { readonly kind: "refused"; readonly status: number; readonly detail: string }
  | { readonly kind: "unreachable"; readonly reason: string }
  | { readonly kind: "not-a-token" }

export async function fetchPairingLabel(options: {
  readonly baseUrl: string
  readonly deviceToken: string
  readonly fetch?: typeof fetch
  readonly timeoutMs?: number
}): Promise<PairingLabel> {
  const kioskId = kioskIdOfToken(options.deviceToken.trim())
  if (kioskId === undefined) return { kind: "not-a-token" }
  const edge: EdgeConnection = {
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 10_000,
    now: Date.now,
  }
  const answer = await getPairingLabel(edge, options.deviceToken.trim(), kioskId)
  if (answer.kind === "unreachable") return answer
  if (answer.status !== 200) return { kind: "refused", status: answer.status, detail: problemOf(answer).detail }
  return { kind: "label", kioskId, svg: answer.text }
}
