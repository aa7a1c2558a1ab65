import { describe, expect, it } from "vitest"
import { planDemo } from "./synthetic.ts"

const year = planDemo({ kiosks: 3, days: 364, seed: 7, currency: "EUR", until: new Date("2026-11-28T00:00:00Z") })
const plan = (over: Partial<Parameters<typeof planDemo>[0]> = {}) =>
  planDemo({ kiosks: 3, days: 364, seed: 7, currency: "EUR", until: new Date("2026-11-28T00:00:00Z"), ...over })

describe("synthetic demo history", () => {
  it("is the same for the same seed, and different for another", () => {
    const small = (seed: number) => JSON.stringify(plan({ days: 60, seed }))
    expect(small(7)).toBe(small(7))
    expect(small(8)).not.toBe(small(7))
  })

  it("ends at the moment given: nothing later today, the days before unchanged by the hour", () => {
    const noon = plan({ days: 30, until: new Date("2026-11-28T12:00:00Z") })
    const evening = plan({ days: 30, until: new Date("2026-11-28T23:59:59Z") })
    for (const [k, kiosk] of noon.entries()) {
      expect(kiosk.sales.every((s) => s.occurredAt <= "2026-11-28T12:00:00.000Z")).toBe(true)
      expect(kiosk.outages.every((o) => o.backAt <= "2026-11-28T12:00:00.000Z")).toBe(true)
      const before = (sales: typeof kiosk.sales) => sales.filter((s) => s.occurredAt < "2026-11-28")
      expect(before(kiosk.sales)).toEqual(before(evening[k]!.sales))
      expect(evening[k]!.sales.some((s) => s.occurredAt > "2026-11-28T12:00:00.000Z")).toBe(true)
    }
  })

  it("has weekends busier than Mondays", () => {
    const byWeekday = Array(7).fill(0) as Array<number>
    for (const kiosk of year) for (const s of kiosk.sales) byWeekday[new Date(s.occurredAt).getUTCDay()]! += 1
    expect(byWeekday[6]).toBeGreaterThan(byWeekday[1]! * 1.3) // Saturday vs Monday
  })

  it("keeps amounts as positive integers of minor units and refunds within the sale", () => {
    for (const kiosk of year) {
      for (const s of kiosk.sales) {
        expect(Number.isInteger(s.amount) && s.amount > 0).toBe(true)
        if (s.refund) expect(s.refund.amount).toBeLessThanOrEqual(s.amount)
      }
    }
  })

  it("has outages, and no sales while a kiosk is down", () => {
    const kiosks = year
    const outages = kiosks.flatMap((k) => k.outages.map((o) => ({ ...o, k })))
    expect(outages.length).toBeGreaterThan(0)
    for (const { lastSeenAt, backAt, k } of outages) {
      expect(k.sales.some((s) => s.occurredAt > lastSeenAt && s.occurredAt < backAt)).toBe(false)
    }
  })

  it("uses unique idempotency keys, so a second run appends nothing new", () => {
    const keys = year.flatMap((k) => k.sales.map((s) => s.key))
    expect(new Set(keys).size).toBe(keys.length)
  })

  it("puts nothing after `until`: no sale, refund or outage later than that instant, whatever the hour", () => {
    const until = new Date("2026-11-28T14:15:00Z")
    const today = plan({ days: 5, until })
    for (const kiosk of today) {
      for (const s of kiosk.sales) {
        expect(Date.parse(s.occurredAt)).toBeLessThanOrEqual(until.getTime())
        if (s.refund) expect(Date.parse(s.refund.at)).toBeLessThanOrEqual(until.getTime())
      }
      for (const o of kiosk.outages) expect(Date.parse(o.backAt)).toBeLessThanOrEqual(until.getTime())
    }
    // The same plan later in the day holds what the earlier one had, and more: a later run appends the rest.
    const evening = plan({ days: 5, until: new Date("2026-11-28T23:59:00Z") })
    const keys = (p: typeof today) => new Set(p.flatMap((k) => k.sales.map((s) => s.key)))
    expect([...keys(today)].every((k) => keys(evening).has(k))).toBe(true)
    expect(keys(evening).size).toBeGreaterThan(keys(today).size)
  })

  it("gives each refund its own time after its sale, minutes to days later", () => {
    const refunds = year.flatMap((k) => k.sales.flatMap((s) => (s.refund ? [{ sale: Date.parse(s.occurredAt), at: Date.parse(s.refund.at) }] : [])))
    expect(refunds.length).toBeGreaterThan(10)
    for (const r of refunds) {
      expect(r.at - r.sale).toBeGreaterThanOrEqual(5 * 60_000)
      expect(r.at - r.sale).toBeLessThanOrEqual(3 * 86_400_000 + 5 * 60_000)
    }
    // Some fall on a later day than their sale: they count on their own day.
    expect(refunds.some((r) => new Date(r.at).toISOString().slice(0, 10) !== new Date(r.sale).toISOString().slice(0, 10))).toBe(true)
  })
})
