// The mapping of old events' unstorable values: text to U+FFFD, instants into the stored range with a flag.
import pg from "pg"
import { describe, expect, it } from "vitest"
import { CorruptEvent } from "../../commands/index.ts"
import { permanentFailure } from "./failures.ts"
import { INSTANT_PATHS, parsedIfStorable, REPLACEMENT, storableCommit, storableInstant, storableText, STORED_INSTANTS } from "./storable.ts"

const STORED_AT = "2026-03-01T12:00:00.000Z"
const storedAt = () => STORED_AT

describe("storable text", () => {
  it("replaces NUL and lone surrogates with U+FFFD, and keeps everything else", () => {
    expect(storableText("a\u0000b")).toBe(`a${REPLACEMENT}b`)
    expect(storableText("x\ud800y\udfffz")).toBe(`x${REPLACEMENT}y${REPLACEMENT}z`)
    expect(storableText("\udfff\ud800")).toBe(REPLACEMENT.repeat(2))
    expect(storableText("Café 😀 \u0001\t\u200f")).toBe("Café 😀 \u0001\t\u200f")
  })
})

describe("storable instants", () => {
  it("keeps a real instant in range exactly as written", () => {
    for (const value of ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123456Z", STORED_INSTANTS.min, STORED_INSTANTS.max]) {
      expect(storableInstant(value, storedAt)).toEqual({ value, clamped: false })
    }
  })

  it("clamps what lies outside the stored range, and flags it", () => {
    expect(storableInstant("0000-01-01T00:00:00Z", storedAt)).toEqual({ value: STORED_INSTANTS.min, clamped: true })
    expect(storableInstant("1999-12-31T23:59:59Z", storedAt)).toEqual({ value: STORED_INSTANTS.min, clamped: true })
    expect(storableInstant("-000001-01-01T00:00:00.000Z", storedAt)).toEqual({ value: STORED_INSTANTS.min, clamped: true })
    expect(storableInstant("10000-01-01T00:00:00Z", storedAt)).toEqual({ value: STORED_INSTANTS.max, clamped: true })
    expect(storableInstant("+275760-09-13T00:00:00.000Z", storedAt)).toEqual({ value: STORED_INSTANTS.max, clamped: true })
  })

  it("normalises a date that rolls over, and uses the stored time for one that names no moment", () => {
    expect(storableInstant("2026-02-30T00:00:00Z", storedAt)).toEqual({ value: "2026-03-02T00:00:00.000Z", clamped: true })
    expect(storableInstant("2026-13-01T00:00:00Z", storedAt)).toEqual({ value: STORED_AT, clamped: true })
    expect(storableInstant("2026-01-01T25:00:00Z", storedAt)).toEqual({ value: STORED_AT, clamped: true })
  })
})

describe("the instant fields of the catalogue", () => {
  it("are found in the event schemas (a Timestamp changed elsewhere must keep them found)", () => {
    const withInstants = Object.fromEntries([...INSTANT_PATHS].filter(([, paths]) => paths.length > 0))
    expect(withInstants).toEqual({
      KioskWentOffline: [["lastSeenAt"]],
      KioskCameOnline: [["at"]],
      PaymentRecorded: [["occurredAt"]],
      KioskHeartbeat: [["at"]],
      NotificationAttemptStarted: [["leaseUntil"]],
      NotificationAttemptFailed: [["retryAt"]],
    })
    expect(INSTANT_PATHS.size).toBeGreaterThanOrEqual(25)
  })
})

describe("a stored commit", () => {
  const commit = (time: string, events: ReadonlyArray<unknown>) =>
    JSON.stringify({ id: "cmt_0123456789", time, actor: { kind: "system", name: "t" }, correlationId: "c", events })
  const payment = (occurredAt: unknown, extra: Record<string, unknown> = {}) =>
    ({ type: "PaymentRecorded", version: 1, data: { paymentId: "pay_0123456789", occurredAt, ...extra } })

  it("is left alone (the same string) when nothing in it needs mapping", () => {
    const text = commit("2026-03-01T10:00:00.000Z", [payment("2026-03-01T09:00:00.000Z", { reason: "0000-01-01T00:00:00Z is fine here" })])
    expect(storableCommit(text, storedAt).text).toBe(text)
  })

  it("maps text everywhere, keys included, and instants only in instant fields", () => {
    const text = commit("2026-03-01T10:00:00.000Z", [
      payment("0000-01-01T00:00:00Z", { note: "0000-01-01T00:00:00Z" }),
      { type: "KioskHeartbeat", version: 1, data: { at: "2026-03-01T09:00:00Z", status: { "k\u0000": "v\ud800" } } },
    ])
    const mapped = storableCommit(text, storedAt)
    const body = JSON.parse(mapped.text)
    expect(body.events[0].data).toEqual({ paymentId: "pay_0123456789", occurredAt: STORED_INSTANTS.min, note: "0000-01-01T00:00:00Z" })
    expect(body.events[1].data.status).toEqual({ [`k${REPLACEMENT}`]: `v${REPLACEMENT}` })
    expect(mapped.clamped).toEqual(new Set([0]))
  })

  it("flags every event when the commit's own time was clamped", () => {
    const mapped = storableCommit(commit("+010000-01-01T00:00:00.000Z", [payment("2026-03-01T09:00:00Z"), payment("2026-03-01T09:00:00Z")]), storedAt)
    expect(JSON.parse(mapped.text).time).toBe(STORED_INSTANTS.max)
    expect(mapped.clamped).toBe("all")
  })

  it("is parsed in one go exactly when storableCommit would leave it alone", () => {
    const cases = [
      commit("2026-03-01T10:00:00.000Z", [payment("2026-03-01T09:00:00.000Z", { reason: "0000-01-01T00:00:00Z is fine here" })]),
      commit("2026-03-01T10:00:00Z", [payment("2024-02-29T23:59:59.123456Z"), payment("2026-01-31T00:00:00Z")]),
      commit(STORED_INSTANTS.min, [payment(STORED_INSTANTS.max)]),
      commit("2026-03-01T10:00:00Z", [payment("2026-03-01T09:00:00Z", { note: "1999-12-31T23:59:59Z" })]),
      commit("2026-03-01T10:00:00Z", [payment(12), { type: "Unknown", data: { at: "0000-01-01T00:00:00Z" } }, "not an event"]),
      commit("2026-03-01T10:00:00Z", [payment("1999-12-31T23:59:59Z")]),
      commit("2026-02-30T10:00:00Z", [payment("2026-03-01T09:00:00Z")]),
      commit("+010000-01-01T00:00:00.000Z", [payment("2026-03-01T09:00:00Z")]),
      commit("2026-03-01T10:00:00Z", [{ type: "KioskHeartbeat", version: 1, data: { at: "2026-03-01T24:00:00Z" } }]),
      commit("2026-03-01T10:00:00Z", [payment("2026-03-01T09:00:00Z", { note: "a\u0000b" })]),
      "{not json", '"2026-03-01T10:00:00Z"', "[]",
    ]
    const anObject = (text: string) => {
      try {
        const value: unknown = JSON.parse(text)
        return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined
      } catch {
        return undefined
      }
    }
    const found = cases.map((text) => {
      const mapped = storableCommit(text, storedAt)
      const unchanged = mapped.text === text || mapped.text === JSON.stringify(anObject(text))
      return { text, parsed: parsedIfStorable(text), expected: unchanged && mapped.clamped !== "all" && mapped.clamped.size === 0 ? anObject(text) : undefined }
    })
    for (const { text, parsed, expected } of found) expect({ text, parsed }).toEqual({ text, parsed: expected })
    expect(found.filter((c) => c.parsed !== undefined)).toHaveLength(5)
  })

  it("hands what isn't a commit back unchanged, for the decoder to refuse", () => {
    expect(storableCommit("{not json \\u0000", storedAt).text).toBe("{not json \\u0000")
    expect(storableCommit('"\\u0000"', storedAt).text).toBe('"\\u0000"')
  })
})

describe("failures", () => {
  const pgError = (code: string) => Object.assign(new pg.DatabaseError("boom \u0000", 1, "error"), { code })

  it("are permanent for data, integrity and index-size errors and for undecodable messages", () => {
    for (const code of ["22008", "22P05", "22003", "23505", "23502", "54000"]) expect(permanentFailure(pgError(code))?.code).toBe(code)
    const corrupt = new CorruptEvent({ stream: "USERS", seq: 7, subject: "ak.users.x" }, "bad \u0000 value")
    expect(permanentFailure(corrupt)).toEqual({ code: "decode", message: `undecodable event at USERS#7 (ak.users.x): bad ${REPLACEMENT} value` })
  })

  it("are transient for lost connections, shutdowns, conflicts, SQL bugs and anything else", () => {
    for (const code of ["08006", "57P01", "57P03", "40001", "40P01", "42703", "53100"]) expect(permanentFailure(pgError(code))).toBeUndefined()
    expect(permanentFailure(new Error("Connection terminated unexpectedly"))).toBeUndefined()
    expect(permanentFailure(Object.assign(new Error("TIMEOUT"), { code: "TIMEOUT" }))).toBeUndefined()
  })
})
