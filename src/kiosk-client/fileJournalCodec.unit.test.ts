import { describe, expect, it } from "vitest"
import { decodeJournal, encodeRecords } from "./fileJournalCodec.ts"
import { JournalCorrupt, type JournalRecord } from "./journal.ts"

const records: ReadonlyArray<JournalRecord> = [
  { kind: "credential", token: "akd.x.y", at: "2026-11-28T09:00:00Z" },
  { kind: "queued", payment: { key: "k1", kioskId: "ksk_1", amount: 1250, currency: "EUR", occurredAt: "2026-11-28T10:00:00Z" } },
  { kind: "queued", payment: { key: "k2", kioskId: "ksk_1", amount: 99, currency: "JPY", occurredAt: "2026-11-28T10:00:01Z" } },
]
const bytes = (text: string) => new TextEncoder().encode(text)
const whole = bytes(encodeRecords(records))

describe("the file journal's format", () => {
  it("reads back what it wrote", () => {
    expect(decodeJournal(whole)).toEqual({ records, validBytes: whole.length })
  })

  it("an empty file is an empty journal", () => expect(decodeJournal(new Uint8Array())).toEqual({ records: [], validBytes: 0 }))

  it("tolerates a last record torn at any byte: it is left out and its bytes are marked for cutting", () => {
    const lastStart = whole.length - bytes(encodeRecords(records.slice(2))).length
    for (let cut = lastStart; cut < whole.length; cut++) {
      const decoded = decodeJournal(whole.subarray(0, cut))
      expect(decoded.records).toEqual(records.slice(0, 2))
      expect(decoded.validBytes).toBe(lastStart)
    }
  })

  it("tolerates a tail of zeros (a file extended but not yet written when the power went)", () => {
    const zeros = new Uint8Array(whole.length + 64)
    zeros.set(whole)
    zeros.fill(0x0a, whole.length + 63)
    expect(decodeJournal(zeros)).toEqual({ records, validBytes: whole.length })
  })

  it("a last line whose checksum fails is a torn tail too", () => {
    const text = encodeRecords(records)
    const damaged = text.slice(0, -5) + (text.at(-5) === "0" ? "1" : "0") + text.slice(-4)
    expect(decodeJournal(bytes(damaged)).records).toEqual(records.slice(0, 2))
  })

  it("refuses a damaged record with good ones after it: no append-only writer leaves that", () => {
    const lines = encodeRecords(records).split("\n")
    lines[1] = lines[1]!.replace("1250", "9250")
    expect(() => decodeJournal(bytes(lines.join("\n")))).toThrow(JournalCorrupt)
  })
})
