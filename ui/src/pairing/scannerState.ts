// The camera scanner as a pure state machine: what the user sees follows from these states only.
//   idle → requesting → scanning → found
//                    ↘ no-camera | permission-denied | insecure | error
export type ScannerState =
  | { kind: "idle" }
  | { kind: "requesting" }
  | { kind: "scanning" }
  | { kind: "found"; code: string }
  | { kind: "no-camera" }
  | { kind: "permission-denied" }
  | { kind: "insecure" }
  | { kind: "error"; message: string }

export type ScannerEvent =
  | { type: "start" }
  | { type: "camera-ready" }
  | { type: "camera-failed"; failure: CameraFailure }
  | { type: "decoded"; text: string }
  | { type: "stop" }

export type CameraFailure =
  | { kind: "no-camera" } | { kind: "permission-denied" } | { kind: "insecure" } | { kind: "error"; message: string }

export const initialScannerState: ScannerState = { kind: "idle" }

/** The kiosk code, then ':' (or a space), then the 16-character secret, in any case, dashes and spaces allowed. */
const PAIRING_CODE = /^([A-Z0-9][A-Z0-9-]{3,39})\s*[:\s]\s*([0-9A-Z][0-9A-Z\s-]*)$/

/**
 * The pairing code in what a QR label (or a person) gave us — `<kiosk code>:<secret>`, or a console link carrying
 * it as `?code=` — normalised as the edge reads it (upper case, no separators in the secret, I and L as 1, O as 0).
 * Null for anything else, the kiosk code alone included: it names a kiosk but never pairs one.
 */
export function pairingCodeFrom(text: string): string | null {
  const trimmed = text.trim()
  let candidate = trimmed
  if (/^https?:\/\//i.test(trimmed)) {
    try { candidate = new URL(trimmed).searchParams.get("code") ?? "" } catch { return null }
  }
  const found = PAIRING_CODE.exec(candidate.trim().toUpperCase())
  if (found === null) return null
  const secret = found[2]!.replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0")
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(secret) ? `${found[1]}:${secret}` : null
}

/** The printed kiosk code of a pairing code, for messages: the secret is not repeated on screen. */
export const printedCode = (pairingCode: string) => pairingCode.slice(0, pairingCode.indexOf(":"))

/** Why getUserMedia failed, by the DOMException names browsers use. */
export function classifyCameraError(error: unknown): CameraFailure {
  const name = typeof error === "object" && error !== null && "name" in error ? String(error.name) : ""
  if (name === "NotAllowedError" || name === "PermissionDeniedError") return { kind: "permission-denied" }
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return { kind: "no-camera" }
  if (name === "SecurityError") return { kind: "insecure" }
  const message = typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)
  return { kind: "error", message }
}

/**
 * The transition for a scanner looking for what `read` recognises in a decoded text: a pairing code (the console's
 * pairing scanner) or a device token (the kiosk app); null keeps the scanner looking.
 */
export function scannerTransitionFor(read: (text: string) => string | null) {
  return (state: ScannerState, event: ScannerEvent): ScannerState => {
    switch (event.type) {
      case "start":
        return state.kind === "requesting" || state.kind === "scanning" ? state : { kind: "requesting" }
      case "camera-ready":
        return state.kind === "requesting" ? { kind: "scanning" } : state
      case "camera-failed":
        return state.kind === "requesting" || state.kind === "scanning" ? event.failure : state
      case "decoded": {
        if (state.kind !== "scanning") return state
        const code = read(event.text)
        // Not what we look for: keep looking rather than stop on someone else's QR code.
        return code ? { kind: "found", code } : state
      }
      case "stop":
        return state.kind === "found" ? state : { kind: "idle" }
    }
  }
}

export const scannerTransition = scannerTransitionFor(pairingCodeFrom)

/** The camera is (or should be) on in these states. */
export const cameraWanted = (state: ScannerState) => state.kind === "requesting" || state.kind === "scanning"
