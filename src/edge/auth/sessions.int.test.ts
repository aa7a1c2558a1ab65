// Sessions over HTTP: refresh tokens rotate, a reused one ends its whole family, logout and deactivation end
// sessions at once (access tokens included), a role change takes effect at the next refresh, and public sign-up
// can be switched off and never makes anything but operators.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, PASSWORD, type Session, startEdgeSystem } from "../../../test/support/edge.ts"

let sys: EdgeSystem
let admin: Session

beforeAll(async () => {
  sys = await startEdgeSystem()
  admin = await sys.userWithRole("admin")
})
afterAll(async () => {
  await sys?.close()
})

const me = (token: string) => sys.app.inject({ url: "/auth/me", headers: sys.bearer(token) })
const refresh = (refreshToken: string) => sys.app.inject({ method: "POST", url: "/auth/refresh", payload: { refreshToken } })

describe("refresh tokens", () => {
  it("rotate: each works once and yields the next", async () => {
    const session = await sys.userWithRole("operator")
    const first = await refresh(session.refreshToken)
    expect(first.statusCode).toBe(200)
    const next = first.json() as Session & { expiresIn: number }
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.expiresIn).toBe(900)
    expect((await me(next.token)).statusCode).toBe(200)
    const second = await refresh(next.refreshToken)
    expect(second.statusCode).toBe(200)
  })

  it("a reused refresh token revokes the whole family, access tokens included", async () => {
    const session = await sys.userWithRole("operator")
    const rotated = (await refresh(session.refreshToken)).json() as Session
    // The thief (or a confused client) presents the old token again.
    const reuse = await refresh(session.refreshToken)
    expect(reuse.statusCode).toBe(401)
    expect(reuse.headers["content-type"]).toMatch(/problem\+json/)
    // The legitimate holder's newer tokens are dead too: the family is gone.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401)
    expect((await me(rotated.token)).statusCode).toBe(401)
    // Other sessions of the same user are untouched.
    const other = await sys.login(session.user.username)
    expect((await me(other.token)).statusCode).toBe(200)
  })

  it("two concurrent refreshes with one token: at most one wins, and then the family is revoked", async () => {
    const session = await sys.userWithRole("operator")
    const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)])
    expect(answers.filter((a) => a.statusCode === 200).length).toBeLessThanOrEqual(1)
    for (const answer of answers.filter((a) => a.statusCode === 200)) {
      expect((await refresh((answer.json() as Session).refreshToken)).statusCode).toBe(401)
    }
  })

  it("an unknown or malformed refresh token is a 401", async () => {
    expect((await refresh("rt_not-a-real-token-at-all")).statusCode).toBe(401)
  })
})

describe("logout", () => {
  it("ends the session: its refresh and access tokens stop working", async () => {
    const session = await sys.userWithRole("auditor")
    const out = await sys.app.inject({ method: "POST", url: "/auth/logout", payload: { refreshToken: session.refreshToken } })
    expect(out.statusCode).toBe(204)
    expect((await refresh(session.refreshToken)).statusCode).toBe(401)
    expect((await me(session.token)).statusCode).toBe(401)
  })
})

describe("deactivation", () => {
  it("ends every session at once and refuses new logins", async () => {
    const victim = await sys.userWithRole("operator")
    const second = await sys.login(victim.user.username)
    const gone = await sys.app.inject({ method: "DELETE", url: `/auth/users/${victim.user.id}`, headers: sys.bearer(admin.token) })
    expect(gone.statusCode).toBe(200)
    expect(gone.json().user.active).toBe(false)
    for (const s of [victim, second]) {
      expect((await me(s.token)).statusCode).toBe(401)
      expect((await refresh(s.refreshToken)).statusCode).toBe(401)
    }
    const login = await sys.app.inject({ method: "POST", url: "/auth/login", payload: { username: victim.user.username, password: PASSWORD } })
    expect(login.statusCode).toBe(401)
  })

  it("an admin cannot deactivate or demote themselves", async () => {
    const self = await sys.app.inject({ method: "DELETE", url: `/auth/users/${admin.user.id}`, headers: sys.bearer(admin.token) })
    expect(self.statusCode).toBe(403)
    const demote = await sys.app.inject({ method: "PATCH", url: `/auth/users/${admin.user.id}`, headers: sys.bearer(admin.token), payload: { role: "operator" } })
    expect(demote.statusCode).toBe(403)
  })
})

describe("role change", () => {
  it("retires the old access token; the next refresh carries the new role", async () => {
    const user = await sys.userWithRole("operator")
    expect((await sys.app.inject({ url: "/auth/users", headers: sys.bearer(user.token) })).statusCode).toBe(403)
    const changed = await sys.app.inject({ method: "PATCH", url: `/auth/users/${user.user.id}`, headers: sys.bearer(admin.token), payload: { role: "auditor" } })
    expect(changed.statusCode).toBe(200)
    expect(changed.json().user.role).toBe("auditor")
    expect((await me(user.token)).statusCode).toBe(401)
    const renewed = await refresh(user.refreshToken)
    expect(renewed.statusCode).toBe(200)
    const session = renewed.json() as Session
    expect(session.user.role).toBe("auditor")
    const payments = await sys.app.inject({ url: "/payments", headers: sys.bearer(session.token) })
    expect(payments.statusCode).toBe(200)
  })
})

describe("public sign-up", () => {
  it("makes operators only: a role in the body is refused", async () => {
    const sneaky = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "sneaky", password: PASSWORD, role: "admin" } })
    expect(sneaky.statusCode).toBe(400)
    const fine = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "honest", password: PASSWORD } })
    expect(fine.statusCode).toBe(201)
    expect(fine.json().user.role).toBe("operator")
  })

  it("a taken username is a 409, whatever its case", async () => {
    await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "taken.name", password: PASSWORD } })
    const again = await sys.app.inject({ method: "POST", url: "/auth/register", payload: { username: "Taken.Name", password: PASSWORD } })
    expect(again.statusCode).toBe(409)
  })

  it("can be switched off", async () => {
    const closed = await startEdgeSystem({ env: { PUBLIC_REGISTRATION: "false" }, projectors: false })
    try {
      const response = await closed.app.inject({ method: "POST", url: "/auth/register", payload: { username: "latecomer", password: PASSWORD } })
      expect(response.statusCode).toBe(403)
      expect(response.json().detail).toMatch(/registration is turned off/)
    } finally {
      await closed.close()
    }
  })
})

describe("login", () => {
  it("gives the same answer for an unknown user and a wrong password", async () => {
    const unknown = await sys.app.inject({ method: "POST", url: "/auth/login", payload: { username: "nobody-here", password: PASSWORD } })
    const wrong = await sys.app.inject({ method: "POST", url: "/auth/login", payload: { username: admin.user.username, password: "not the password" } })
    expect(unknown.statusCode).toBe(401)
    expect(wrong.statusCode).toBe(401)
    expect(unknown.json().detail).toBe(wrong.json().detail)
  })
})
