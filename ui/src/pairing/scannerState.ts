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

const KIOSK_CODE = /^[A-Z0-9][A-Z0-9-]{3,39}$/

/**
 * The kiosk code in what a QR label (or a person) gave us: the code itself, or a console link carrying it as
 * `?code=`. Returns null for anything else, so a random QR code is not sent to the edge.
 */
export function kioskCodeFrom(text: string): string | null {
  const trimmed = text.trim()
  let candidate = trimmed
  if (/^https?:\/\//i.test(trimmed)) {
    try { candidate = new URL(trimmed).searchParams.get("code") ?? "" } catch { return null }
  }
  const code = candidate.trim().toUpperCase()
  return KIOSK_CODE.test(code) ? code : null
}

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
 * The transition for a scanner looking for what `read` recognises in a decoded text: a kiosk code (the console's
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

export const scannerTransition = scannerTransitionFor(kioskCodeFrom)

/** The camera is (or should be) on in these states. */
export const cameraWanted = (state: ScannerState) => state.kind === "requesting" || state.kind === "scanning"
