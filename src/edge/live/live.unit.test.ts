// The live feed's pure parts: the messages it accepts and sends, the topics, what a forwarded event shows, and the
// access rules as assignments change.
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  decodeStored, evolveKiosk, initialKioskState, isKioskEvent, type KioskChange, type KioskState, makeCommit, type NewEvent,
} from "../../commands/index.ts"
import { naming, type StreamKey } from "../../platform/index.ts"
import { LiveCommit } from "./liveCommit.ts"
import { KioskOwners } from "./owners.ts"
import { allows, needsOf, type Viewer } from "./policy.ts"
import { encodeServerMessage, frames, parseClientMessage, readClientMessage, ServerMessage } from "./protocol.ts"
import { parseTopic, replayFilter, topicsOf } from "./topics.ts"

const names = naming("ut")
const context = { actor: { kind: "system" as const, name: "unit" }, correlationId: "unit" }
const kioskA = "ksk_aaaaaaaaaaaaaaaaaaaaaaaaaa"
const alice: Viewer = { userId: "usr_alice00000001", role: "operator" }
const bob: Viewer = { userId: "usr_bob0000000001", role: "operator" }

function commitOf(stream: "PAYMENTS" | "KIOSKS" | "NOTIFICATIONS", subject: string, seq: number, events: ReadonlyArray<NewEvent>) {
  const stored = decodeStored(JSON.stringify(makeCommit(stream as StreamKey, events, `cmt_${seq}`, context)), { stream, subject, seq })
  return new LiveCommit(stream, stored)
}
const payment = (seq: number, operatorId: string | null = null, kioskId = kioskA) => commitOf("PAYMENTS", names.subject.payment(kioskId, `pay_p${seq}xxxxxxxx`), seq, [{
  type: "PaymentRecorded",
  data: { paymentId: `pay_p${seq}xxxxxxxx`, kioskId, amount: 100, currency: "EUR", occurredAt: "2026-11-28T10:00:00.000Z", operatorId, requestHash: "h" },
}])
const refund = (seq: number, operatorId: string | null) => commitOf("PAYMENTS", names.subject.payment(kioskA, "pay_p1xxxxxxxx"), seq, [{
  type: "PaymentRefunded",
  data: { paymentId: "pay_p1xxxxxxxx", kioskId: kioskA, refundId: `rfd_r${seq}xxxxxxxx`, amount: 50, currency: "EUR", reason: "", operatorId },
}])
const kioskEvent = (seq: number, type: "KioskAssigned" | "KioskUnassigned", operatorId: string) =>
  commitOf("KIOSKS", names.subject.kiosk(kioskA), seq, [{ type, data: { kioskId: kioskA, operatorId } }])
/**
 * Owners over kiosk states the test feeds by hand (`fold`), as the edge's kiosk states fold KIOSKS: kiosk A is
 * registered, and each folded commit tells its change.
 */
function owners() {
  const registered = { type: "KioskRegistered", data: { kioskId: kioskA, code: "KSK-1234", name: "n", location: "l", credentialHash: "h" } } as const
  let state: KioskState = evolveKiosk(initialKioskState(), registered)
  const listeners: Array<KioskChange> = []
  const cache = new KioskOwners({
    folded: (kioskId) => (kioskId === kioskA ? state : initialKioskState()),
    latest: async (kioskId) => (kioskId === kioskA ? state : initialKioskState()),
    onChange: (listener) => {
      listeners.push(listener)
      return () => undefined
    },
  })
  const fold = (commit: LiveCommit) => {
    const before = state
    for (const event of commit.events) if (isKioskEvent(event)) state = evolveKiosk(state, event)
    for (const listener of listeners) listener(kioskA, state, before)
  }
  return Object.assign(cache, { fold })
}

describe("client messages", () => {
  it("accepts auth, subscribe (with an optional non-negative from_seq) and unsubscribe", () => {
    expect(parseClientMessage('{"type":"auth","token":"abc"}')).toEqual({ ok: true, message: { type: "auth", token: "abc" } })
    expect(parseClientMessage('{"type":"subscribe","topic":"payments","from_seq":42}')).toMatchObject({ ok: true, message: { from_seq: 42 } })
    expect(parseClientMessage('{"type":"unsubscribe","topic":"kiosks"}').ok).toBe(true)
  })

  it("refuses what is not one of them", () => {
    for (const raw of ["nope", "[]", '{"type":"auth"}', '{"type":"subscribe","topic":"payments","from_seq":-1}',
      '{"type":"subscribe","topic":"payments","from_seq":1.5}', '{"type":"publish","topic":"payments"}']) {
      expect(parseClientMessage(raw).ok).toBe(false)
    }
  })
})

describe("server messages", () => {
  it("go out as docs/websocket.md shows them, optional fields left out when absent", () => {
    const at = new Date("2026-11-28T16:15:00.000Z")
    expect(encodeServerMessage(frames.ready({ id: "usr_a", role: "operator" }, at)))
      .toBe('{"type":"ready","user":{"id":"usr_a","role":"operator"},"expires_at":"2026-11-28T16:15:00.000Z"}')
    expect(encodeServerMessage(frames.renewed(at))).toBe('{"type":"renewed","expires_at":"2026-11-28T16:15:00.000Z"}')
    expect(encodeServerMessage(frames.subscribed("kiosk:k", 4182))).toBe('{"type":"subscribed","topic":"kiosk:k","from_seq":4182}')
    expect(encodeServerMessage(frames.subscribed("payments", undefined))).toBe('{"type":"subscribed","topic":"payments"}')
    expect(encodeServerMessage(frames.unsubscribed("payments"))).toBe('{"type":"unsubscribed","topic":"payments"}')
    expect(encodeServerMessage(frames.unsubscribed("kiosk:k", "forbidden"))).toBe('{"type":"unsubscribed","topic":"kiosk:k","reason":"forbidden"}')
    expect(encodeServerMessage(frames.error("unauthorized", "token expired"))).toBe('{"type":"error","code":"unauthorized","message":"token expired"}')
    expect(encodeServerMessage(frames.error("forbidden", "no", "kiosk:k"))).toBe('{"type":"error","code":"forbidden","message":"no","topic":"kiosk:k"}')
  })

  it("the event frames a message builds for itself are the protocol's `event` message", () => {
    const decode = Schema.decodeUnknownSync(Schema.fromJsonString(ServerMessage))
    for (const frame of payment(7).framesFor("kiosk:x")) {
      expect(decode(frame.toString())).toEqual(JSON.parse(frame.toString()))
    }
  })

  it("a binary frame is refused before it is read", () => {
    expect(readClientMessage(Buffer.from('{"type":"auth","token":"abc"}'), true)).toEqual({ ok: false, reason: "frames must be JSON text" })
    expect(readClientMessage([Buffer.from('{"type":"auth",'), Buffer.from('"token":"abc"}')], false)).toMatchObject({ ok: true })
  })
})

describe("topics", () => {
  it("names one stream each; a kiosk topic replays only that kiosk's payments", () => {
    expect(parseTopic("payments")).toMatchObject({ stream: "PAYMENTS" })
    expect(parseTopic("kiosks")).toMatchObject({ stream: "KIOSKS" })
    expect(parseTopic("notifications")).toMatchObject({ stream: "NOTIFICATIONS" })
    const kiosk = parseTopic(`kiosk:${kioskA}`)!
    expect(kiosk).toMatchObject({ stream: "PAYMENTS", kioskId: kioskA })
    expect(replayFilter(kiosk, names)).toBe(`ut.payments.${kioskA}.*`)
    for (const bad of ["kiosk:", "kiosk:*", "kiosk:ksk_a.b", "users", "telemetry"]) expect(parseTopic(bad)).toBeUndefined()
  })

  it("a payment goes to `payments` and to its kiosk's topic", () => {
    expect(topicsOf("PAYMENTS", names.subject.payment(kioskA, "pay_x1234567"))).toEqual(["payments", `kiosk:${kioskA}`])
  })
})

describe("forwarded events", () => {
  it("carry id, type, version, data and time, with the seq, and never a hash", () => {
    const commit = payment(7)
    const [frame] = commit.framesFor("payments").map((b) => JSON.parse(b.toString()))
    expect(frame).toEqual({
      type: "event", topic: "payments", seq: 7,
      event: { id: "cmt_7", type: "PaymentRecorded", version: 1, time: expect.any(String), data: expect.not.objectContaining({ requestHash: expect.anything() }) },
    })
    const registered = commitOf("KIOSKS", names.subject.kiosk(kioskA), 1, [{ type: "KioskRegistered", data: { kioskId: kioskA, code: "KSK-1234", name: "n", location: "l", credentialHash: "secret" } }])
    expect(registered.events[0]!.data).not.toHaveProperty("credentialHash")
  })
})

describe("access as assignments change", () => {
  it("an operator sees the payments taken while the kiosk was theirs, and their refunds, whoever holds it now", () => {
    const cache = owners()
    cache.fold(kioskEvent(5, "KioskAssigned", bob.userId))
    for (const kind of ["payments", "kiosk"] as const) {
      expect(allows(alice, kind, payment(6, alice.userId), cache)).toBe(true)
      expect(allows(alice, kind, refund(7, alice.userId), cache)).toBe(true)
      // Bob holds the kiosk now, but Alice took that payment: not his, even on replay.
      expect(allows(bob, kind, payment(6, alice.userId), cache)).toBe(false)
      expect(allows(alice, kind, payment(8, bob.userId), cache)).toBe(false)
      expect(allows(alice, kind, payment(9, null), cache)).toBe(false)
    }
  })

  it("ownership is the kiosk states' fold; each change of operator is told, nothing else", async () => {
    const cache = owners()
    const told: Array<string | null> = []
    cache.onChange((_kioskId, operatorId) => told.push(operatorId))
    cache.fold(kioskEvent(5, "KioskAssigned", alice.userId))
    cache.fold(commitOf("KIOSKS", names.subject.kiosk(kioskA), 6, [{ type: "KioskRenamed", data: { kioskId: kioskA, name: "m", location: "l" } }]))
    cache.fold(kioskEvent(7, "KioskUnassigned", alice.userId))
    expect(told).toEqual([alice.userId, null])
    expect(cache.peek(kioskA)).toEqual({ operatorId: null })
    cache.fold(kioskEvent(8, "KioskAssigned", bob.userId))
    expect(await cache.resolve(kioskA)).toEqual({ operatorId: bob.userId })
    expect(cache.peek("ksk_bbbbbbbbbbbbbbbbbbbbbbbbbb")).toEqual({ operatorId: null })
  })

  it("the unassignment itself reaches the operator it names on `kiosks`; admins and auditors see every payment", () => {
    const cache = owners()
    const unassigned = kioskEvent(3, "KioskUnassigned", alice.userId)
    cache.fold(unassigned)
    expect(allows(alice, "kiosks", unassigned, cache)).toBe(true)
    expect(allows(bob, "kiosks", unassigned, cache)).toBe(false)
    for (const role of ["admin", "auditor"] as const) expect(allows({ userId: "usr_x000000001", role }, "payments", payment(4), cache)).toBe(true)
  })

  it("operators need ownership answers for kiosk events only, non-admins need notification recipients", () => {
    expect(needsOf(alice, "kiosks")).toEqual({ owners: true, recipients: false })
    expect(needsOf(alice, "payments")).toEqual({ owners: false, recipients: false })
    expect(needsOf({ userId: "u", role: "auditor" }, "notifications")).toEqual({ owners: false, recipients: true })
    expect(needsOf({ userId: "u", role: "admin" }, "notifications")).toEqual({ owners: false, recipients: false })
  })
})
