// Reconciliation's comparison: every field that differs, per day, kiosk and currency; a row missing on one side
// counts as zeros there.
import { describe, expect, it } from "vitest"
import { compareDays, type DayTotals } from "./reconcile.ts"

const replayed = (rows: ReadonlyArray<DayTotals>) => new Map(rows.map((r) => [`${r.day}|${r.kiosk_id}|${r.currency}`, r]))
const day = { kiosk_id: "ksk_aaaaaaaa", day: "2026-03-01", currency: "EUR", payment_count: 2, gross: 300, refund_count: 1, refunds: 50 }
const model = { ...day, listed_count: 2, listed_gross: 300 }

describe("compareDays", () => {
  it("finds nothing when both sides agree", () => expect(compareDays(replayed([day]), [model])).toEqual([]))

  it("lists each differing field with both values", () => {
    expect(compareDays(replayed([day]), [{ ...model, gross: 301, listed_gross: 299 }])).toEqual([
      { kiosk_id: "ksk_aaaaaaaa", day: "2026-03-01", currency: "EUR", field: "gross", replayed: 300, read_model: 301 },
      { kiosk_id: "ksk_aaaaaaaa", day: "2026-03-01", currency: "EUR", field: "listed_gross", replayed: 300, read_model: 299 },
    ])
  })

  it("counts a row only one side has against zeros", () => {
    expect(compareDays(replayed([]), [model]).map((d) => [d.field, d.replayed, d.read_model])).toEqual([
      ["payment_count", 0, 2], ["gross", 0, 300], ["refund_count", 0, 1], ["refunds", 0, 50], ["listed_count", 0, 2], ["listed_gross", 0, 300],
    ])
    expect(compareDays(replayed([{ ...day, day: "2026-03-02" }]), [])).toHaveLength(6)
  })
})
