import { describe, expect, it } from "vitest"
import {
  cameraWanted, classifyCameraError, initialScannerState, kioskCodeFrom, scannerTransition, type ScannerEvent, type ScannerState,
} from "./scannerState.ts"

const run = (...events: ScannerEvent[]) => events.reduce<ScannerState>(scannerTransition, initialScannerState)

describe("scanner state machine", () => {
  it("goes idle → requesting → scanning → found on a kiosk code", () => {
    expect(run({ type: "start" })).toEqual({ kind: "requesting" })
    expect(run({ type: "start" }, { type: "camera-ready" })).toEqual({ kind: "scanning" })
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: " kiosk-7f3a " })).toEqual({ kind: "found", code: "KIOSK-7F3A" })
  })

  it("keeps scanning past a QR code that is not a kiosk's", () => {
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: "https://example.com/menu" })).toEqual({ kind: "scanning" })
  })

  it("ends in the camera's failure: none, denied, insecure or another error", () => {
    for (const [name, kind] of [
      ["NotFoundError", "no-camera"], ["OverconstrainedError", "no-camera"], ["NotAllowedError", "permission-denied"],
      ["SecurityError", "insecure"],
    ] as const) {
      expect(run({ type: "start" }, { type: "camera-failed", failure: classifyCameraError(new DOMException("x", name)) })).toEqual({ kind })
    }
    expect(classifyCameraError(new DOMException("device busy", "NotReadableError"))).toEqual({ kind: "error", message: "device busy" })
  })

  it("ignores what comes out of turn: a decode before the camera is ready, a second start, a late failure", () => {
    expect(run({ type: "decoded", text: "KIOSK-7F3A" })).toEqual({ kind: "idle" })
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "start" })).toEqual({ kind: "scanning" })
    const found = run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: "KIOSK-7F3A" })
    expect(scannerTransition(found, { type: "camera-failed", failure: { kind: "no-camera" } })).toBe(found)
    expect(scannerTransition(found, { type: "stop" })).toBe(found)
  })

  it("stops back to idle, and may start again after a failure", () => {
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "stop" })).toEqual({ kind: "idle" })
    expect(run({ type: "start" }, { type: "camera-failed", failure: { kind: "permission-denied" } }, { type: "start" })).toEqual({ kind: "requesting" })
    expect(cameraWanted({ kind: "scanning" })).toBe(true)
    expect(cameraWanted({ kind: "found", code: "KIOSK-1" })).toBe(false)
  })
})

describe("kioskCodeFrom", () => {
  it("accepts a bare code or a console link carrying it, upper-cased", () => {
    expect(kioskCodeFrom("abcd-2345")).toBe("ABCD-2345")
    expect(kioskCodeFrom("https://console.example/pair?code=kiosk-7f3a")).toBe("KIOSK-7F3A")
  })
  it("rejects anything else", () => {
    for (const text of ["", "ab", "has space", "ÑANDÚ-1", "-LEADING", "https://example.com/", "x".repeat(41), "javascript:alert(1)"]) {
      expect(kioskCodeFrom(text)).toBeNull()
    }
  })
})
