// The write side's guarantees against the real NATS: one winner per race, one payment per idempotency key
// (even across process restarts), and a command cost that does not grow with history.
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { Effect, Result } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commandRuntime } from "../../test/support/commandRuntime.ts"
import { testEnv } from "../../test/support/settings.ts"
import type { StreamKey } from "../platform/index.ts"
import {
  assignKioskByCode, type CommandContext, decommissionKiosk, kioskIdFor, kioskPairingLabel, recordPayment, refundPayment, registerKiosk,
  registerUser, userIdFor,
} from "./index.ts"

const admin: CommandContext = { actor: { kind: "system", name: "test" }, correlationId: "test" }
const run = promisify(execFile)

let t: Awaited<ReturnType<typeof commandRuntime>>
beforeAll(async () => { t = await commandRuntime() })
afterAll(async () => { await t?.dispose() })

async function eventsOfType(stream: StreamKey, type: string, subject?: string) {
  const found = []
  for await (const commit of t.store.replay(stream, { untilEnd: true, subject })) {
    found.push(...commit.recorded.filter((e) => e.type === type))
  }
  return found
}

const tags = (results: ReadonlyArray<Result.Result<unknown, { readonly _tag: string }>>) =>
  results.map((r) => (Result.isSuccess(r) ? "ok" : r.failure._tag)).sort()

describe("races on the write side", () => {
  it("20 concurrent registrations of one username: exactly one account", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.attempt(registerUser({ username: i % 2 ? "Racer" : "racer", password: `password-${i}-long`, role: "operator" }, admin))))
    expect(tags(results)).toEqual([...Array(19).fill("Conflict"), "ok"])
    expect(await eventsOfType("USERS", "UserRegistered", t.store.naming.subject.user(userIdFor("racer")))).toHaveLength(1)
  })

  it("20 concurrent registrations of one kiosk code: exactly one kiosk", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.attempt(registerKiosk({ code: "RACE-0001", name: `Kiosk ${i}`, location: "Lobby" }, admin))))
    expect(tags(results)).toEqual([...Array(19).fill("Conflict"), "ok"])
    expect(await eventsOfType("KIOSKS", "KioskRegistered", t.store.naming.subject.kiosk(kioskIdFor("RACE-0001")))).toHaveLength(1)
  })

  it("20 concurrent pairings with one label by different operators: one KioskAssigned, 19 typed refusals", async () => {
    await t.run(registerKiosk({ code: "PAIR-0001", name: "Pairing", location: "Hall" }, admin))
    const { pairingCode } = await t.run(kioskPairingLabel(kioskIdFor("PAIR-0001")))
    const operators = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.run(registerUser({ username: `operator-${i}`, password: "correct horse battery", role: "operator" }, admin))))
    const results = await Promise.all(operators.map(({ user }) =>
      t.attempt(assignKioskByCode(pairingCode, user.id, { ...admin, actor: { kind: "user", id: user.id, role: "operator" } }))))
    // A loser that lost the race on the append is told the kiosk is taken; one that loaded it after the winner's
    // pairing holds a label that is no longer current, and is told nothing pairs with it.
    expect(tags(results).filter((tag) => tag !== "Conflict" && tag !== "NotFound")).toEqual(["ok"])
    const assigned = await eventsOfType("KIOSKS", "KioskAssigned", t.store.naming.subject.kiosk(kioskIdFor("PAIR-0001")))
    expect(assigned).toHaveLength(1)
    const winner = results.findIndex(Result.isSuccess)
    expect(assigned[0]!.data).toMatchObject({ operatorId: operators[winner]!.user.id })
  })
})

describe("payment idempotency", () => {
  it("the same payment posted 10 times at once with one key: one PaymentRecorded, ten identical answers", async () => {
    const { kiosk } = await t.run(registerKiosk({ code: "IDEM-0001", name: "Idem", location: "" }, admin))
    const post = () => t.run(recordPayment({ kioskId: kiosk.id, amount: 1250, currency: "EUR", idempotencyKey: "sale-42" }, admin))
    const answers = await Promise.all(Array.from({ length: 10 }, post))
    expect(new Set(answers.map((a) => JSON.stringify({ payment: a.payment, seq: a.seq }))).size).toBe(1)
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1)
    expect(await eventsOfType("PAYMENTS", "PaymentRecorded", t.store.naming.subject.kioskPayments(kiosk.id))).toHaveLength(1)
  })

  it("the same key after a full process restart gets the original result and appends nothing", async () => {
    const { kiosk } = await t.run(registerKiosk({ code: "IDEM-0002", name: "Restart", location: "" }, admin))
    const env = { ...process.env, ...testEnv({ APP_NAMESPACE: t.settings.namespace }) }
    const args = ["test/support/recordPaymentProcess.ts", kiosk.id, "999", "USD", "sale-after-restart"]
    const first = await run(process.execPath, args, { env })
    const second = await run(process.execPath, args, { env })
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)]
    expect(a.replayed).toBe(false)
    expect(b.replayed).toBe(true)
    expect(b.payment).toEqual(a.payment)
    expect(b.seq).toBe(a.seq)
    expect(await eventsOfType("PAYMENTS", "PaymentRecorded", t.store.naming.subject.kioskPayments(kiosk.id))).toHaveLength(1)
  })

  it("a retry costs one read more than a new payment, and answers the original after a refund and a decommission", async () => {
    const { kiosk } = await t.run(registerKiosk({ code: "IDEM-0004", name: "Later", location: "" }, admin))
    const sale = { kioskId: kiosk.id, amount: 700, currency: "EUR", idempotencyKey: "sale-then-refund" }
    const readsOf = async (input: typeof sale) => {
      const before = t.store.stats().reads
      const answer = await t.attempt(recordPayment(input, admin))
      return { answer, reads: t.store.stats().reads - before }
    }
    const original = await t.run(recordPayment(sale, admin))
    // Both read the kiosk alike; the retry adds one direct get of the payment's first commit (no load of its
    // subject: version, snapshot, commits; no second read for the answer).
    const fresh = await readsOf({ ...sale, idempotencyKey: "another-sale" })
    const retry = await readsOf(sale)
    expect(Result.isSuccess(fresh.answer) && Result.isSuccess(retry.answer)).toBe(true)
    expect(retry.reads - fresh.reads).toBe(1)

    await t.run(refundPayment(original.payment.id, { amount: 200, reason: "damaged" }, admin))
    await t.run(decommissionKiosk(kiosk.id, admin))
    expect(await t.run(recordPayment(sale, admin))).toEqual({ ...original, replayed: true })
    expect(await eventsOfType("PAYMENTS", "PaymentRecorded", t.store.naming.subject.kioskPayments(kiosk.id))).toHaveLength(2)
    // A new key on the decommissioned kiosk is refused.
    const refused = await t.attempt(recordPayment({ ...sale, idempotencyKey: "after-decommission" }, admin))
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("Conflict")
  })

  it("the same key with a different amount is refused, and nothing is appended", async () => {
    const { kiosk } = await t.run(registerKiosk({ code: "IDEM-0003", name: "Reuse", location: "" }, admin))
    await t.run(recordPayment({ kioskId: kiosk.id, amount: 100, currency: "EUR", idempotencyKey: "k" }, admin))
    const reused = await t.attempt(recordPayment({ kioskId: kiosk.id, amount: 200, currency: "EUR", idempotencyKey: "k" }, admin))
    expect(Result.isFailure(reused) && reused.failure._tag).toBe("Invalid")
    expect(await eventsOfType("PAYMENTS", "PaymentRecorded", t.store.naming.subject.kioskPayments(kiosk.id))).toHaveLength(1)
  })
})

describe("a command's cost does not grow with history", () => {
  it("recording a payment reads as many messages after 10,000 earlier payments as after none", async () => {
    const { kiosk } = await t.run(registerKiosk({ code: "COST-0001", name: "Busy", location: "" }, admin))
    const readsFor = async (key: string) => {
      const before = t.store.stats().reads
      await t.run(recordPayment({ kioskId: kiosk.id, amount: 500, currency: "EUR", idempotencyKey: key }, admin))
      return t.store.stats().reads - before
    }
    await readsFor("warm-up") // the first load may write the kiosk's snapshot; measure steady state
    const withNone = await readsFor("first-measured")

    // 10,000 earlier payments of this kiosk, appended concurrently in waves.
    const subject = (i: number) => t.store.naming.subject.payment(kiosk.id, `pay_${String(i).padStart(30, "0")}`)
    for (let wave = 0; wave < 20; wave++) {
      await t.run(Effect.forEach(Array.from({ length: 500 }, (_, j) => wave * 500 + j), (i) =>
        t.store.append("PAYMENTS", subject(i), [{
          type: "PaymentRecorded",
          data: {
            paymentId: `pay_${String(i).padStart(30, "0")}`, kioskId: kiosk.id, amount: 100 + i, currency: "EUR",
            occurredAt: "2026-11-01T10:00:00Z", operatorId: null, requestHash: `h${i}`,
          },
        }], { expectedVersion: 0, context: admin }), { concurrency: 64, discard: true }))
    }
    const withMany = await readsFor("after-ten-thousand")
    expect(withNone).toBeGreaterThan(0)
    expect(withMany).toBe(withNone)
  }, 180_000)
})
