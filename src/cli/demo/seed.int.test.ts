import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { seedDemo } from "./seed.ts"
import { planDemo } from "./synthetic.ts"

let t: Awaited<ReturnType<typeof commandRuntime>>
beforeAll(async () => { t = await commandRuntime() })
afterAll(async () => { await t?.dispose() })

const options = { kiosks: 2, days: 3, seed: 11, currency: "EUR" as const, operatorPassword: "demo-operator-password", concurrency: 16, until: new Date("2026-11-27T00:00:00Z") }

describe("demo seed", () => {
  it("records the planned history through the command path, and a second run appends nothing", async () => {
    const report = await t.run(seedDemo(options))
    const plan = planDemo(options)
    expect(report.payments).toBe(plan.reduce((n, k) => n + k.sales.length, 0))
    const count = async () => {
      let recorded = 0
      let refunded = 0
      for await (const c of t.store.replay("PAYMENTS", { untilEnd: true })) {
        for (const e of c.recorded) e.type === "PaymentRecorded" ? recorded++ : refunded++
      }
      return { recorded, refunded, last: await t.run(t.store.lastSequence("KIOSKS")) }
    }
    const first = await count()
    expect(first.recorded).toBe(report.payments)
    expect(first.refunded).toBe(report.refunds)
    await t.run(seedDemo(options))
    expect(await count()).toEqual(first)
  }, 120_000)
})
