import { describe, expect, it } from "vitest"
import { applyRecord, compactJournal, foldJournal, isJournalRecord, type JournalRecord, type QueuedPayment } from "./journal.ts"

const kioskId = "ksk_0000000000000000000000000a"
const sale = (n: number): QueuedPayment => ({ key: `key-${n}`, kioskId, amount: 100 * n, currency: "EUR", occurredAt: `2026-11-28T10:00:0${n}Z` })
const queued = (n: number): JournalRecord => ({ kind: "queued", payment: sale(n) })
const delivered = (n: number): JournalRecord => ({ kind: "delivered", key: `key-${n}`, paymentId: `pay_${n}`, seq: 10 + n, at: "2026-11-28T10:01:00Z" })
const rejected = (n: number): JournalRecord => ({
  kind: "rejected", key: `key-${n}`, status: 422, at: "2026-11-28T10:01:00Z",
  problem: { type: "https://admin-kiosk.dev/problems/unprocessable", title: "Unprocessable Content", detail: "occurred_at is too old" },
})
const credential = (token: string): JournalRecord => ({ kind: "credential", token, at: "2026-11-28T09:00:00Z" })

const summary = (records: ReadonlyArray<JournalRecord>) => {
  const s = foldJournal(records)
  return { token: s.token, queue: [...s.queue.keys()], rejected: s.rejected.map((r) => [r.payment.key, r.problem.detail]), delivered: s.delivered, last: s.lastDelivered }
}

describe("the kiosk's journal", () => {
  it("keeps undelivered sales in the order they were taken", () => {
    expect(summary([queued(1), queued(2), queued(3)]).queue).toEqual(["key-1", "key-2", "key-3"])
  })

  it("a delivered sale leaves the queue and counts as delivered, the last one remembered", () => {
    const s = summary([queued(1), queued(2), delivered(1)])
    expect(s.queue).toEqual(["key-2"])
    expect(s.delivered).toBe(1)
    expect(s.last).toEqual({ key: "key-1", paymentId: "pay_1", seq: 11, at: "2026-11-28T10:01:00Z" })
  })

  it("a refused sale moves to the rejected list with the problem's detail", () => {
    const s = summary([queued(1), queued(2), rejected(1)])
    expect(s.queue).toEqual(["key-2"])
    expect(s.rejected).toEqual([["key-1", "occurred_at is too old"]])
    expect(s.delivered).toBe(0)
  })

  it("replaying a record twice changes nothing (a delivery journalled twice counts once)", () => {
    const once = [credential("a"), queued(1), queued(2), delivered(1), rejected(2)]
    const twice = once.flatMap((r) => [r, r])
    expect(summary(twice)).toEqual(summary(once))
  })

  it("the latest credential is the one in use", () => {
    expect(summary([credential("old"), queued(1), credential("new")]).token).toBe("new")
  })

  it("compaction keeps exactly what folds to the same state, and drops delivered sales", () => {
    const records = [credential("t"), queued(1), queued(2), queued(3), queued(4), delivered(1), rejected(2), delivered(3)]
    const state = foldJournal(records)
    const compacted = compactJournal(state, "2026-11-28T11:00:00Z")
    expect(summary(compacted)).toEqual(summary(records))
    expect(compacted.filter((r) => r.kind === "delivered")).toEqual([])
    expect(compacted.length).toBeLessThan(records.length)
    // A record appended after compaction folds the same on either journal.
    expect(summary([...compacted, delivered(4)])).toEqual(summary([...records, delivered(4)]))
  })

  it("counts what a compaction would drop", () => {
    const state = foldJournal([queued(1), queued(2), delivered(1)])
    expect(state.settledSinceCompaction).toBe(2)
    applyRecord(state, rejected(2))
    expect(state.settledSinceCompaction).toBe(2)
  })

  it("reads back only well-formed records", () => {
    for (const record of [credential("t"), queued(1), delivered(1), rejected(1), { kind: "totals", delivered: 3, lastDelivered: null }]) {
      expect(isJournalRecord(JSON.parse(JSON.stringify(record)))).toBe(true)
    }
    for (const bad of [null, 7, {}, { kind: "queued" }, { kind: "queued", payment: { ...sale(1), amount: 1.5 } },
      { kind: "delivered", key: "k", paymentId: "p", seq: -1, at: "x" }, { kind: "spent", key: "k" }]) {
      expect(isJournalRecord(bad)).toBe(false)
    }
  })
})
