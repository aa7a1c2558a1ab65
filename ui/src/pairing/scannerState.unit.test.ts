import { describe, expect, it } from "vitest"
import {
  cameraWanted, classifyCameraError, initialScannerState, pairingCodeFrom, printedCode, scannerTransition, type ScannerEvent, type ScannerState,
} from "./scannerState.ts"

const run = (...events: ScannerEvent[]) => events.reduce<ScannerState>(scannerTransition, initialScannerState)

describe("scanner state machine", () => {
  it("goes idle → requesting → scanning → found on a pairing code", () => {
    expect(run({ type: "start" })).toEqual({ kind: "requesting" })
    expect(run({ type: "start" }, { type: "camera-ready" })).toEqual({ kind: "scanning" })
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: " kiosk-7f3a:7f3aq2zp9k4mx8wd " }))
      .toEqual({ kind: "found", code: "KIOSK-7F3A:7F3AQ2ZP9K4MX8WD" })
  })

  it("keeps scanning past a QR code that is not a kiosk's label, or holds only a kiosk code", () => {
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: "https://example.com/menu" })).toEqual({ kind: "scanning" })
    expect(run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: "KIOSK-7F3A" })).toEqual({ kind: "scanning" })
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
    const found = run({ type: "start" }, { type: "camera-ready" }, { type: "decoded", text: "KIOSK-7F3A:7F3AQ2ZP9K4MX8WD" })
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

describe("pairingCodeFrom", () => {
  const secret = "7F3AQ2ZP9K4MX8WD"
  it("accepts a label's text or a console link carrying it, normalised as the edge reads it", () => {
    expect(pairingCodeFrom(`abcd-2345:${secret}`)).toBe(`ABCD-2345:${secret}`)
    expect(pairingCodeFrom(`https://console.example/pair?code=kiosk-7f3a:${secret.toLowerCase()}`)).toBe(`KIOSK-7F3A:${secret}`)
    // Typed from the printed label: the code, a space, the secret in groups, with letters read as digits.
    expect(pairingCodeFrom(" demo-0001  7f3a-q2zp-9k4m-x8wd ")).toBe(`DEMO-0001:${secret}`)
    expect(pairingCodeFrom("DEMO-0001:7F3A Q2ZP 9K4M X8WD")).toBe(`DEMO-0001:${secret}`)
    expect(pairingCodeFrom("DEMO-OOO1:7F3AQ2ZP9K4MX8WI")).toBe("DEMO-OOO1:7F3AQ2ZP9K4MX8W1")
  })
  it("rejects the kiosk code alone, and anything else", () => {
    for (const text of ["", "ab", "ABCD-2345", "DEMO-0001:", "DEMO-0001:7F3A", `ÑANDÚ-1:${secret}`, `-LEADING:${secret}`, `DEMO-0001:${secret}0`,
      "DEMO-0001:UUUUUUUUUUUUUUUU", "https://example.com/", "x".repeat(41), "javascript:alert(1)"]) {
      expect(pairingCodeFrom(text), text).toBeNull()
    }
  })
  it("shows only the printed code back", () => expect(printedCode(`DEMO-0001:${secret}`)).toBe("DEMO-0001"))
})
