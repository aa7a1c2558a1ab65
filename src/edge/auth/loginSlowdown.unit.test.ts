import { describe, expect, it } from "vitest"
import { DEFAULT_SLOWDOWN, loginSlowdown, type SlowdownPolicy } from "./loginSlowdown.ts"

function clocked(policy: Partial<SlowdownPolicy> = {}) {
  let now = 1_000_000
  const slowdown = loginSlowdown({ ...DEFAULT_SLOWDOWN, ...policy }, () => now)
  return { slowdown, advance: (ms: number) => { now += ms } }
}

/** `n` failed attempts; the admissions they got. */
const fail = (s: ReturnType<typeof loginSlowdown>, account: string, address: string, n = 1) =>
  Array.from({ length: n }, () => s.admit(account, address))

describe("login slowdown, per account and address", () => {
  it("lets the free attempts through, then doubles the wait up to the cap", () => {
    const { slowdown, advance } = clocked({ freeAttempts: 3, firstWaitMs: 1_000, maxWaitMs: 8_000 })
    expect(fail(slowdown, "ana", "10.0.0.1", 3).every((a) => a.kind === "go")).toBe(true)
    const waits: Array<number> = []
    for (let i = 0; i < 6; i++) {
      expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("go")
      const refused = slowdown.admit("ana", "10.0.0.1")
      if (refused.kind !== "wait") throw new Error("expected a wait")
      waits.push(refused.retryAfterMs)
      advance(refused.retryAfterMs)
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
  })

  it("never slows another address or another account", () => {
    const { slowdown } = clocked({ freeAttempts: 2 })
    fail(slowdown, "ana", "10.0.0.1", 5)
    expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("wait")
    expect(slowdown.admit("ana", "10.0.0.2")).toEqual({ kind: "go", holdMs: 0 })
    expect(slowdown.admit("bob", "10.0.0.1")).toEqual({ kind: "go", holdMs: 0 })
  })

  it("clears on success and forgets an idle count", () => {
    const { slowdown, advance } = clocked({ freeAttempts: 2, forgetAfterMs: 60_000, maxWaitMs: 30_000 })
    fail(slowdown, "ana", "10.0.0.1", 3)
    expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("wait")
    advance(2_000)
    slowdown.succeeded("ana", "10.0.0.1")
    expect(fail(slowdown, "ana", "10.0.0.1", 2).every((a) => a.kind === "go")).toBe(true)

    fail(slowdown, "bob", "10.0.0.1", 10)
    advance(60_000)
    expect(slowdown.admit("bob", "10.0.0.1")).toEqual({ kind: "go", holdMs: 0 })
  })
})

describe("login slowdown, per account over all addresses", () => {
  const attacked = () => {
    const t = clocked({ freeAttempts: 5, attackThreshold: 4, firstHoldMs: 250, maxHoldMs: 1_000 })
    t.slowdown.succeeded("ana", "192.0.2.1") // the owner's usual address
    for (let i = 0; i < 4; i++) t.slowdown.admit("ana", `198.51.100.${i}`)
    return t
  }

  it("holds unknown addresses' answers, doubling up to the cap, and gives them no free attempt", () => {
    const { slowdown } = attacked()
    const holds = [0, 1, 2, 3].map((i) => slowdown.admit("ana", `203.0.113.${i}`))
    expect(holds).toEqual([250, 500, 1_000, 1_000].map((holdMs) => ({ kind: "go", holdMs })))
    expect(slowdown.admit("ana", "203.0.113.0")).toMatchObject({ kind: "wait", retryAfterMs: 1_000 })
  })

  it("leaves the owner's known address alone and never refuses a first attempt from anywhere", () => {
    const { slowdown } = attacked()
    expect(slowdown.admit("ana", "192.0.2.1")).toEqual({ kind: "go", holdMs: 0 })
    expect(slowdown.admit("ana", "192.0.2.99").kind).toBe("go")
    expect(slowdown.admit("bob", "203.0.113.7")).toEqual({ kind: "go", holdMs: 0 })
  })

  it("ends with the owner's success", () => {
    const { slowdown } = attacked()
    slowdown.succeeded("ana", "192.0.2.99")
    expect(slowdown.admit("ana", "203.0.113.50")).toEqual({ kind: "go", holdMs: 0 })
  })

  it("remembers only the last few addresses the owner signed in from", () => {
    const { slowdown } = clocked({ attackThreshold: 1, knownAddresses: 2 })
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) slowdown.succeeded("ana", address)
    slowdown.admit("ana", "198.51.100.1")
    expect(slowdown.admit("ana", "10.0.0.3")).toEqual({ kind: "go", holdMs: 0 })
    expect(slowdown.admit("ana", "10.0.0.2")).toEqual({ kind: "go", holdMs: 0 })
    expect(slowdown.admit("ana", "10.0.0.1")).toMatchObject({ kind: "go", holdMs: expect.any(Number) })
    expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("wait")
  })
})

describe("login slowdown memory", () => {
  it("keeps at most maxPairs pairs: a flood of names pushes out the oldest counts, not the process", () => {
    const { slowdown } = clocked({ freeAttempts: 1, maxPairs: 100, maxAccounts: 100 })
    fail(slowdown, "ana", "10.0.0.1", 2)
    expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("wait")
    for (let i = 0; i < 100; i++) slowdown.admit(`flood-${i}`, "10.0.0.9")
    expect(slowdown.admit("ana", "10.0.0.1").kind).toBe("go")
  })
})
