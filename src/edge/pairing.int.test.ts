// Pairing codes are one-use secrets (the must-show): over HTTP, a label pairs once — after the kiosk is
// paired, and after a hand-over, the old label pairs nothing; the kiosk code alone, even an admin's 4-character
// one, never pairs; refusals append nothing; `/kiosks/assign` is limited per user and per address.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, RELAXED_LIMITS, type Session, startEdgeSystem } from "../../test/support/edge.ts"

let sys: EdgeSystem
let admin: Session
let ana: Session
let bob: Session

beforeAll(async () => {
  sys = await startEdgeSystem({ projectors: false })
  admin = await sys.userWithRole("admin")
  ana = await sys.userWithRole("operator")
  bob = await sys.userWithRole("operator")
})
afterAll(async () => {
  await sys?.close()
})

const pair = (who: Session, code: string, remoteAddress = "127.0.0.1") =>
  sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(who.token), payload: { code }, remoteAddress })
const unassign = async (kioskId: string) => {
  const answer = await sys.app.inject({ method: "POST", url: `/kiosks/${kioskId}/unassign`, headers: sys.bearer(admin.token) })
  expect(answer.statusCode, answer.body).toBe(200)
}

/** A refusal: 404 problem+json, and not one event appended anywhere. */
async function expectRefused(who: Session, code: string) {
  const before = await sys.streamTotals()
  const answer = await pair(who, code)
  expect(answer.statusCode, answer.body).toBe(404)
  expect(answer.headers["content-type"]).toMatch(/problem\+json/)
  expect(await sys.streamTotals()).toBe(before)
}

describe("a pairing label works once", () => {
  it("after the kiosk is paired, its old label pairs nothing, and the kiosk shows a new one", async () => {
    const { kiosk } = await sys.registerKiosk(admin)
    const first = await sys.pairingCode(admin, kiosk.id)
    const paired = await pair(ana, first)
    expect(paired.statusCode, paired.body).toBe(200)
    expect(paired.json().kiosk.operatorId).toBe(ana.user.id)
    // Ana's retry of the same request is answered as before, and appends nothing.
    const before = await sys.streamTotals()
    expect((await pair(ana, first)).statusCode).toBe(200)
    expect(await sys.streamTotals()).toBe(before)

    const second = await sys.pairingCode(admin, kiosk.id)
    expect(second).not.toBe(first)
    await unassign(kiosk.id)
    // Released: the label Ana used, and the one shown while she held the kiosk, are both spent.
    await expectRefused(bob, first)
    await expectRefused(bob, second)
    const third = await sys.pairingCode(admin, kiosk.id)
    expect((await pair(bob, third)).statusCode).toBe(200)
  })

  it("after a hand-over, the previous operator's labels pair nothing", async () => {
    const { kiosk } = await sys.registerKiosk(admin)
    const anasLabel = await sys.pairingCode(admin, kiosk.id)
    expect((await pair(ana, anasLabel)).statusCode).toBe(200)
    await unassign(kiosk.id)
    // The label Ana could photograph while the kiosk was free, before it was handed to Bob.
    const handOverLabel = await sys.pairingCode(admin, kiosk.id)
    expect((await pair(bob, handOverLabel)).statusCode).toBe(200)
    await unassign(kiosk.id)

    await expectRefused(ana, anasLabel)
    await expectRefused(ana, handOverLabel)
    // The kiosk's current label still works, for anyone who stands in front of it.
    expect((await pair(ana, await sys.pairingCode(admin, kiosk.id))).statusCode).toBe(200)
  })

  it("a kiosk someone holds is a conflict for whoever scans its current label", async () => {
    const { kiosk } = await sys.registerKiosk(admin)
    expect((await pair(ana, await sys.pairingCode(admin, kiosk.id))).statusCode).toBe(200)
    const taken = await pair(bob, await sys.pairingCode(admin, kiosk.id))
    expect(taken.statusCode, taken.body).toBe(409)
  })
})

describe("the kiosk code alone never pairs", () => {
  it("an admin's 4-character code, with or without a guessed secret", async () => {
    const registered = await sys.app.inject({ method: "POST", url: "/kiosks", headers: sys.bearer(admin.token), payload: { name: "Short", code: "ABCD" } })
    expect(registered.statusCode, registered.body).toBe(201)
    const before = await sys.streamTotals()
    const bare = await pair(ana, "ABCD")
    expect(bare.statusCode).toBe(400)
    expect(bare.json().errors).toEqual([expect.objectContaining({ in: "body", path: "/code" })])
    await expectRefused(ana, "ABCD:0000000000000000")
    await expectRefused(ana, "ABCD:ZZZZZZZZZZZZZZZZ")
    expect(await sys.streamTotals()).toBe(before)
    // Its label carries the 80-bit secret like any other, and that pairs.
    const label = await sys.pairingCode(admin, registered.json().kiosk.id)
    expect(label).toMatch(/^ABCD:[0-9A-HJKMNP-TV-Z]{16}$/)
    expect((await pair(ana, label.toLowerCase())).statusCode).toBe(200)
  })
})

describe("rate limits on /kiosks/assign", () => {
  it("per user and per address: 429 problem+json with Retry-After", async () => {
    const limited = await startEdgeSystem({ edge: { limits: { ...RELAXED_LIMITS, pairPerUserPerMinute: 3, pairPerAddressPerMinute: 5 } }, projectors: false })
    try {
      const [carol, dave, erin] = [await limited.userWithRole("operator"), await limited.userWithRole("operator"), await limited.userWithRole("operator")]
      const guess = (who: Session, address: string) => limited.app.inject({
        method: "POST", url: "/kiosks/assign", headers: limited.bearer(who.token), payload: { code: "ABCD:0000000000000000" }, remoteAddress: address,
      })
      const statuses = async (who: Session, address: string, n: number) => {
        const out: Array<number> = []
        for (let i = 0; i < n; i++) out.push((await guess(who, address)).statusCode)
        return out
      }
      // Per user: Carol's fourth guess is refused, from another address too.
      expect(await statuses(carol, "10.0.0.1", 4)).toEqual([404, 404, 404, 429])
      const tooMany = await guess(carol, "10.0.0.2")
      expect(tooMany.statusCode).toBe(429)
      expect(tooMany.headers["content-type"]).toMatch(/problem\+json/)
      expect(Number(tooMany.headers["retry-after"])).toBeGreaterThan(0)
      expect(tooMany.json()).toMatchObject({ status: 429 })
      // Per address: 10.0.0.1 made four attempts (one refused by Carol's limit still counts there); Dave gets one
      // more, then the address is done — while Erin, elsewhere, is untouched.
      expect(await statuses(dave, "10.0.0.1", 2)).toEqual([404, 429])
      expect(await statuses(erin, "10.0.0.3", 1)).toEqual([404])
    } finally {
      await limited.close()
    }
  })
})
