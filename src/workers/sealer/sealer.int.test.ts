// A sealer SIGKILLed in the middle of a range, as a crashed pod: the next one resumes from the last stored seal,
// so the seals stay contiguous — no gap, no range sealed twice — and verify agrees with every one of them.
import { afterAll, describe, expect, it } from "vitest"
import { seedPayments } from "../../../bench/fixtures/seedPayments.ts"
import { auditKeys, closeNats, connectNats, naming } from "../../platform/index.ts"
import { provisionStreams } from "../../commands/index.ts"
import { allSeals, type Seal, verifyPayments } from "../../audit/index.ts"
import { type ServeProcess, startServe } from "../../../test/support/serveProcess.ts"
import { testEnv, testSettings } from "../../../test/support/settings.ts"

const PAYMENTS = 20_000
const EVERY = 500
const env = testEnv({ SEAL_EVERY_EVENTS: String(EVERY), SEAL_EVERY_SECONDS: "3600", LOG_LEVEL: "info" })
const settings = await testSettings(env)
const names = naming(settings.namespace)
const nats = await connectNats(settings, "test")
const sealers: Array<ServeProcess> = []

afterAll(async () => {
  await Promise.all(sealers.map((s) => s.stop()))
  await closeNats(nats)
})

async function seals(): Promise<ReadonlyArray<Seal>> {
  const all: Array<Seal> = []
  for await (const s of allSeals(nats.js, nats.jsm, names)) all.push(s.seal)
  return all
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe("sealer crash", () => {
  it("resumes after SIGKILL mid-range with no gap and no double seal", async () => {
    await provisionStreams(nats.jsm, names)
    await seedPayments({ natsUrl: settings.natsUrl, names, payments: PAYMENTS })

    const first = await startServe("sealer", env)
    sealers.push(first)
    const before = await until("three seals", async () => {
      const s = await seals()
      return s.length >= 3 ? s : undefined
    })
    first.process.kill("SIGKILL")
    await new Promise((resolve) => first.process.once("exit", resolve))
    const atKill = await seals()
    expect(atKill.at(-1)!.toSeq, "killed before the end").toBeLessThan(PAYMENTS)
    expect(atKill.length).toBeGreaterThanOrEqual(before.length)

    const second = await startServe("sealer", env)
    sealers.push(second)
    const all = await until("sealed to the end", async () => {
      const s = await seals()
      return s.at(-1)?.toSeq === PAYMENTS ? s : undefined
    }, 300_000)

    expect(all.length).toBe(PAYMENTS / EVERY)
    for (const [i, s] of all.entries()) {
      expect([s.sealNo, s.fromSeq, s.toSeq, s.count]).toEqual([i + 1, i * EVERY + 1, (i + 1) * EVERY, EVERY])
      if (i > 0) expect(s.previousDigest).toBe(all[i - 1]!.digest)
    }
    const report = await verifyPayments(nats.js, nats.jsm, names, auditKeys(settings))
    expect(report.findings).toEqual([])
    expect(report.checked).toBe(PAYMENTS)
    expect(report.lastSealed?.toSeq).toBe(PAYMENTS)
    // Seeded like history from before payments were signed: all sealed, none a failure.
    expect(report.legacy.reduce((n, r) => n + r.count, 0)).toBe(PAYMENTS)
  }, 600_000)
})
