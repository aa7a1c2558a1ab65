// A live session's rules: which verified tokens open or renew a session, and which losses of rights end it.
import { describe, expect, it } from "vitest"
import type { Viewer } from "./policy.ts"
import { judgeToken, sessionEnd } from "./session.ts"

const NOW = Date.parse("2026-12-07T12:00:00Z")
const later = NOW / 1000 + 900
const ana: Viewer = { userId: "usr_ana", role: "operator" }

describe("a verified token", () => {
  it("opens a session as its user and role", () => {
    expect(judgeToken({ userId: "usr_ana", role: "operator", exp: later }, undefined, NOW)).toEqual({ ok: true, viewer: ana })
  })
  it("is refused once expired, and for a role that has no live view", () => {
    expect(judgeToken({ userId: "usr_ana", role: "operator", exp: NOW / 1000 }, undefined, NOW))
      .toMatchObject({ ok: false, code: "unauthorized" })
    expect(judgeToken({ userId: "kio_1", role: "kiosk", exp: later }, undefined, NOW)).toMatchObject({ ok: false, code: "forbidden" })
  })
  it("renews a session only for the same user and role", () => {
    expect(judgeToken({ userId: "usr_ana", role: "operator", exp: later }, ana, NOW)).toMatchObject({ ok: true })
    expect(judgeToken({ userId: "usr_ana", role: "admin", exp: later }, ana, NOW)).toMatchObject({ ok: false, code: "unauthorized" })
    expect(judgeToken({ userId: "usr_bob", role: "operator", exp: later }, ana, NOW)).toMatchObject({ ok: false, code: "unauthorized" })
  })
})

describe("a loss of rights", () => {
  const credential = { sessionId: "ses_1", epoch: 3 }
  it("ends the session it takes away, saying why", () => {
    expect(sessionEnd({ kind: "deactivated", userId: "usr_ana" }, ana, credential)?.label).toBe("deactivated")
    expect(sessionEnd({ kind: "role", userId: "usr_ana", role: "auditor" }, ana, credential)?.label).toBe("role_changed")
    expect(sessionEnd({ kind: "session", userId: "usr_ana", sessionId: "ses_1" }, ana, credential)?.label).toBe("session_ended")
    expect(sessionEnd({ kind: "epoch", userId: "usr_ana", accessEpoch: 4 }, ana, credential)?.label).toBe("rights_changed")
  })
  it("leaves other sessions, other users and older epochs alone", () => {
    expect(sessionEnd({ kind: "session", userId: "usr_ana", sessionId: "ses_2" }, ana, credential)).toBeUndefined()
    expect(sessionEnd({ kind: "role", userId: "usr_ana", role: "operator" }, ana, credential)).toBeUndefined()
    expect(sessionEnd({ kind: "epoch", userId: "usr_ana", accessEpoch: 3 }, ana, credential)).toBeUndefined()
    expect(sessionEnd({ kind: "deactivated", userId: "usr_bob" }, ana, credential)).toBeUndefined()
  })
  it("ends a session whose token carries no epoch (a standalone edge's) at any epoch change", () => {
    expect(sessionEnd({ kind: "epoch", userId: "usr_ana", accessEpoch: 0 }, ana, {})?.label).toBe("rights_changed")
  })
})
