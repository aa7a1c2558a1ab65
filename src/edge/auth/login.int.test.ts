// Guessing, from outside: the password policy at sign-up, and the per-account login slowdown beside the
// per-address limit, through the real edge (NATS, Postgres) with `app.inject` from chosen client addresses.
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, PASSWORD, RELAXED_LIMITS, startEdgeSystem } from "../../../test/support/edge.ts"
import { DEFAULT_SLOWDOWN } from "./loginSlowdown.ts"

let sys: EdgeSystem
const slowdown = { ...DEFAULT_SLOWDOWN, freeAttempts: 3, firstWaitMs: 2_000, attackThreshold: 8, firstHoldMs: 400, maxHoldMs: 800 }

beforeAll(async () => {
  sys = await startEdgeSystem({ edge: { limits: { ...RELAXED_LIMITS, loginSlowdown: slowdown } }, projectors: false })
})
afterAll(async () => {
  await sys?.close()
})

const login = (username: string, password: string, from: string) =>
  sys.app.inject({ method: "POST", url: "/auth/login", payload: { username, password }, remoteAddress: from })

describe("sign-up's password policy", () => {
  it("refuses guessable passwords with 422 problem+json pointing at /password with the estimator's advice; nothing appended", async () => {
    const before = await sys.streamTotals()
    for (const [username, password, advice] of [
      ["policy.one", "password1234", /commonly used password/],
      ["policy.two", "qwertyuiop12", /./],
      ["policy.three", "contraseña123", /./],
      ["ana.garcia", "ana.garcia.2026", /personal or page related data/],
    ] as const) {
      const refused = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username, password, contact: { displayName: "Ana García" } } })
      expect(refused.statusCode, password).toBe(422)
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/)
      const problem = refused.json()
      expect(problem).toMatchObject({ status: 422, type: expect.stringMatching(/weak-password$/), detail: expect.stringMatching(/^password: too easy to guess\. /) })
      expect(problem.errors).toEqual([{ in: "body", path: "/password", message: problem.detail }])
      expect(problem.detail, password).toMatch(advice)
      expect(problem.detail).not.toContain(password)
    }
    expect(await sys.streamTotals()).toBe(before)
  })

  it("accepts a passphrase", async () => {
    const made = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "policy.fine", password: "ventana lluvia tranvía" } })
    expect(made.statusCode, made.body).toBe(201)
  })

  it("keeps the length rule a schema error (400) naming the field", async () => {
    const short = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "policy.short", password: "x7#kP2!" } })
    expect(short.statusCode).toBe(400)
    expect(short.json().errors).toEqual([expect.objectContaining({ in: "body", path: "/password" })])
  })
})

describe("login slowdown", () => {
  it("an address guessing one account must wait, and is refused (429) before the password is checked; the owner elsewhere signs in at once", async () => {
    const owner = await sys.userWithRole("operator")
    const name = owner.user.username
    const attacker = "198.51.100.7"
    for (let i = 0; i < slowdown.freeAttempts + 1; i++) expect((await login(name, `wrong guess ${i}`, attacker)).statusCode).toBe(401)
    // Even the right password is not checked while the address must wait.
    const refused = await login(name, PASSWORD, attacker)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/)
    const retryAfter = Number(refused.headers["retry-after"])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(slowdown.firstWaitMs / 1000)
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/too many failed sign-ins to this account from your address; try again in [12] s/) })

    expect((await login(name, PASSWORD, "192.0.2.10")).statusCode).toBe(200)
    // The owner's success cleared the account, not the attacker's own count.
    expect((await login(name, PASSWORD, attacker)).statusCode).toBe(429)

    await sleep(retryAfter * 1000 + 100)
    expect((await login(name, PASSWORD, attacker)).statusCode).toBe(200)
    // A success cleared that address too: the free attempts are back.
    for (let i = 0; i < slowdown.freeAttempts; i++) expect((await login(name, "wrong again", attacker)).statusCode).toBe(401)
  })

  it("counts unknown usernames the same way, so a 429 tells nothing about which names exist", async () => {
    const from = "198.51.100.8"
    const answers = []
    for (let i = 0; i < slowdown.freeAttempts + 2; i++) answers.push((await login("nobody-by-this-name", "wrong guess", from)).statusCode)
    expect(answers).toEqual([...Array<number>(slowdown.freeAttempts + 1).fill(401), 429])
  })

  it("an account guessed from many addresses holds unknown addresses' answers; its owner's usual address and any first attempt still sign in", async () => {
    const owner = await sys.userWithRole("operator")
    const name = owner.user.username
    const attack = async (round: number) => {
      for (let i = 0; i < slowdown.attackThreshold; i++) expect((await login(name, "botnet guess", `203.0.${round}.${i}`)).statusCode).toBe(401)
    }
    expect((await login(name, PASSWORD, "192.0.2.20")).statusCode).toBe(200)
    await attack(113)

    const started = performance.now()
    const held = await login(name, "botnet guess", "203.0.113.200")
    expect(held.statusCode).toBe(401)
    expect(performance.now() - started).toBeGreaterThanOrEqual(slowdown.firstHoldMs)
    // No free attempts for an unknown address while the account is under attack.
    expect((await login(name, "botnet guess", "203.0.113.200")).statusCode).toBe(429)
    // The owner, from where they signed in before…
    expect((await login(name, PASSWORD, "192.0.2.20")).statusCode).toBe(200)
    // …or, during the next attack, from an address never seen: slowed, not refused.
    await attack(114)
    expect((await login(name, PASSWORD, "192.0.2.21")).statusCode).toBe(200)
  })
})
