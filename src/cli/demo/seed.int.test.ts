import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { appendedNothing, seedDemo } from "./seed.ts"
import { planDemo } from "./synthetic.ts"

let t: Awaited<ReturnType<typeof commandRuntime>>
beforeAll(async () => { t = await commandRuntime() })
afterAll(async () => { await t?.dispose() })

// Mid-afternoon: the plan's sales later that day lie in the future and must not be recorded.
const options = { kiosks: 2, days: 3, seed: 11, currency: "EUR" as const, operatorPassword: "demo-operator-password", concurrency: 16, until: new Date("2026-11-27T14:15:00Z") }

describe("demo seed", () => {
  it("records the planned history up to `until` through the command path; refunds at their own time; a rerun appends nothing and says so", async () => {
    const report = await t.run(seedDemo(options))
    const plan = planDemo(options)
    expect(report.payments).toBe(plan.reduce((n, k) => n + k.sales.length, 0))
    expect(appendedNothing(report)).toBe(false)
    const count = async () => {
      let recorded = 0
      let refunded = 0
      let latest = 0
      const refundTimes: Array<string> = []
      for await (const c of t.store.replay("PAYMENTS", { untilEnd: true })) {
        for (const e of c.recorded) {
          if (e.type === "PaymentRecorded") {
            recorded++
            latest = Math.max(latest, Date.parse((e.data as { occurredAt: string }).occurredAt))
          } else {
            refunded++
            refundTimes.push((e.data as { refundedAt: string }).refundedAt)
          }
        }
      }
      return { recorded, refunded, latest, refundTimes: refundTimes.sort(), last: await t.run(t.store.lastSequence("KIOSKS")), telemetry: await t.run(t.store.lastSequence("TELEMETRY")) }
    }
    const first = await count()
    expect(first.recorded).toBe(report.payments)
    expect(first.refunded).toBe(report.refunds)
    expect(first.latest).toBeLessThanOrEqual(options.until.getTime())
    const planned = plan.flatMap((k) => k.sales.flatMap((s) => (s.refund ? [s.refund.at] : []))).sort()
    expect(first.refundTimes).toEqual(planned)
    const again = await t.run(seedDemo(options))
    expect(again).toMatchObject({ newOperators: 0, kiosks: 0, payments: 0, refunds: 0, outages: 0, alreadyThere: report.payments })
    expect(appendedNothing(again)).toBe(true)
    expect(await count()).toEqual(first)
  }, 120_000)
})
