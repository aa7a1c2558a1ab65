// A heartbeat's only rule: its time is one the kiosk could honestly send.
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { decideHeartbeat } from "./decide.ts"

const clock = { now: "2026-12-01T12:00:00.000Z", maxAgeDays: 90 }
const beat = (at?: string) => decideHeartbeat({ kioskId: "ksk_0000000000000000000000000a", at, appVersion: "1.2.3", status: { paper: "ok" }, clock })

describe("heartbeat", () => {
  it("without a time of its own is the server's now", () => {
    expect(Result.getOrThrow(beat())).toEqual({
      type: "KioskHeartbeat", data: { kioskId: "ksk_0000000000000000000000000a", at: clock.now, appVersion: "1.2.3", status: { paper: "ok" } },
    })
  })

  it("forwarded late, within the window, keeps its own time", () => {
    expect(Result.getOrThrow(beat("2026-09-15T08:00:00Z")).data.at).toBe("2026-09-15T08:00:00Z")
  })

  for (const [label, at] of [["too far ahead", "2026-12-01T12:06:00Z"], ["too old", "2026-08-01T00:00:00Z"], ["unreal", "2026-11-31T00:00:00Z"], ["year 0", "0000-01-01T00:00:00Z"]]) {
    it(`refuses a time ${label}, naming the field`, () => {
      const result = beat(at)
      if (Result.isSuccess(result)) throw new Error("expected a refusal")
      expect(result.failure).toMatchObject({ _tag: "Invalid", field: { in: "body", name: "at" } })
      expect(result.failure.message).toMatch(/^at /)
    })
  }
})
