// Accounts through the edge: an admin adds users and resets a forgotten password (every session of that user ends);
// anyone changes their own password knowing the current one, and their own notification preferences. After a
// change or a reset the old password no longer signs in.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, PASSWORD, RELAXED_LIMITS, type Session, startEdgeSystem } from "../../../test/support/edge.ts"

let sys: EdgeSystem
let admin: Session

beforeAll(async () => {
  sys = await startEdgeSystem({ edge: { limits: RELAXED_LIMITS }, projectors: false })
  admin = await sys.userWithRole("admin")
})
afterAll(async () => {
  await sys?.close()
})

const inject = (method: "GET" | "POST" | "PATCH", url: string, token: string | undefined, payload?: Record<string, unknown>) =>
  sys.app.inject({ method, url, ...(token === undefined ? {} : { headers: sys.bearer(token) }), ...(payload === undefined ? {} : { payload }) })
const loginStatus = async (username: string, password: string) =>
  (await sys.app.inject({ method: "POST", url: "/auth/login", payload: { username, password } })).statusCode
/** Whether a session still works: its access token on /auth/me, its refresh token on /auth/refresh. */
const sessionWorks = async (session: Session) => ({
  access: (await inject("GET", "/auth/me", session.token)).statusCode,
  refresh: (await sys.app.inject({ method: "POST", url: "/auth/refresh", payload: { refreshToken: session.refreshToken } })).statusCode,
})

describe("an admin adds a user", () => {
  it("with a role, contact and an initial password through the policy; the user signs in with it", async () => {
    const made = await inject("POST", "/auth/users", admin.token, {
      username: "nuria.added", role: "auditor", password: "velvet harbour compass", contact: { email: "nuria@example.com" },
    })
    expect(made.statusCode, made.body).toBe(201)
    expect(made.json().user).toMatchObject({ username: "nuria.added", role: "auditor", active: true, contact: { email: "nuria@example.com" } })
    expect(await loginStatus("nuria.added", "velvet harbour compass")).toBe(200)
  })

  it("refuses a guessable password (422 at /password), a taken username (409) and a non-admin (403), appending nothing", async () => {
    const operator = await sys.userWithRole("operator")
    const before = await sys.streamTotals()
    const weak = await inject("POST", "/auth/users", admin.token, { username: "weak.one", role: "operator", password: "password1234" })
    expect(weak.statusCode).toBe(422)
    expect(weak.json().errors).toEqual([expect.objectContaining({ in: "body", path: "/password" })])
    const taken = await inject("POST", "/auth/users", admin.token, { username: admin.user.username, role: "operator", password: "velvet harbour compass" })
    expect(taken.statusCode).toBe(409)
    const byOperator = await inject("POST", "/auth/users", operator.token, { username: "sneaky.one", role: "admin", password: "velvet harbour compass" })
    expect(byOperator.statusCode).toBe(403)
    const extra = await inject("POST", "/auth/users", admin.token, { username: "extra.one", role: "operator", password: "velvet harbour compass", admin: true })
    expect(extra.statusCode).toBe(400)
    expect(await sys.streamTotals()).toBe(before)
  })
})

describe("a user changes their own password", () => {
  it("needs the right current password; then every old session ends, the old password fails and the new one works", async () => {
    for (const role of ["operator", "auditor", "admin"] as const) {
      const me = await sys.userWithRole(role)
      const other = await sys.login(me.user.username)
      const before = await sys.streamTotals()
      const wrong = await inject("POST", "/auth/me/password", me.token, { current_password: "not my password", new_password: "quiet meadow lantern 7" })
      expect(wrong.statusCode).toBe(422)
      expect(wrong.json().errors).toEqual([expect.objectContaining({ in: "body", path: "/current_password" })])
      const weak = await inject("POST", "/auth/me/password", me.token, { current_password: PASSWORD, new_password: "password1234" })
      expect(weak.statusCode).toBe(422)
      expect(weak.json().errors).toEqual([expect.objectContaining({ in: "body", path: "/new_password" })])
      expect(await sys.streamTotals()).toBe(before)

      const changed = await inject("POST", "/auth/me/password", me.token, { current_password: PASSWORD, new_password: "quiet meadow lantern 7" })
      expect(changed.statusCode, changed.body).toBe(200)
      const fresh = changed.json() as Session
      expect(fresh.user.id).toBe(me.user.id)
      expect(await sessionWorks(fresh)).toEqual({ access: 200, refresh: 200 })
      expect(await sessionWorks(me)).toEqual({ access: 401, refresh: 401 })
      expect(await sessionWorks(other)).toEqual({ access: 401, refresh: 401 })
      expect(await loginStatus(me.user.username, PASSWORD)).toBe(401)
      expect(await loginStatus(me.user.username, "quiet meadow lantern 7")).toBe(200)
    }
  })
})

describe("an admin resets a forgotten password", () => {
  it("ends every session of the user; the old password fails, the new one works", async () => {
    const user = await sys.userWithRole("operator")
    const second = await sys.login(user.user.username)
    const reset = await inject("POST", `/auth/users/${user.user.id}/password`, admin.token, { password: "copper kettle horizon" })
    expect(reset.statusCode, reset.body).toBe(200)
    expect(reset.json().user).toMatchObject({ id: user.user.id, active: true })
    expect(await sessionWorks(user)).toEqual({ access: 401, refresh: 401 })
    expect(await sessionWorks(second)).toEqual({ access: 401, refresh: 401 })
    expect(await loginStatus(user.user.username, PASSWORD)).toBe(401)
    expect(await loginStatus(user.user.username, "copper kettle horizon")).toBe(200)
  })

  it("is for admins only, not for their own account, and takes only a strong password", async () => {
    const user = await sys.userWithRole("operator")
    const before = await sys.streamTotals()
    expect((await inject("POST", `/auth/users/${user.user.id}/password`, user.token, { password: "copper kettle horizon" })).statusCode).toBe(403)
    expect((await inject("POST", `/auth/users/${admin.user.id}/password`, admin.token, { password: "copper kettle horizon" })).statusCode).toBe(403)
    expect((await inject("POST", `/auth/users/${user.user.id}/password`, admin.token, { password: "password1234" })).statusCode).toBe(422)
    expect((await inject("POST", "/auth/users/usr_00000000000000000000000000/password", admin.token, { password: "copper kettle horizon" })).statusCode).toBe(404)
    expect(await sys.streamTotals()).toBe(before)
    expect(await sessionWorks(user)).toEqual({ access: 200, refresh: 200 })
  })
})

describe("notification preferences", () => {
  it("start with sale receipts off; each user changes their own kinds and channels", async () => {
    const me = await sys.userWithRole("operator")
    const mine = (await inject("GET", "/auth/me", me.token)).json()
    expect(mine.contact.preferences.kinds.receipts).toEqual({ email: false, sms: false, push: false })
    expect(mine.contact.preferences.kinds.refunds).toEqual({ email: true, sms: false, push: true })
    const kinds = { ...mine.contact.preferences.kinds, receipts: { email: true, sms: false, push: false } }
    const changed = await inject("PATCH", "/auth/me", me.token, { contact: { preferences: { email: true, sms: false, push: false, kinds } } })
    expect(changed.statusCode, changed.body).toBe(200)
    expect((await inject("GET", "/auth/me", me.token)).json().contact.preferences.kinds.receipts).toEqual({ email: true, sms: false, push: false })
    // A contact field left out keeps its value; the role is not the caller's to change here.
    expect((await inject("PATCH", "/auth/me", me.token, { contact: { displayName: "Mía" } })).json().user.contact.preferences.kinds.receipts.email).toBe(true)
    expect((await inject("PATCH", "/auth/me", me.token, { role: "admin", contact: {} })).statusCode).toBe(400)
  })
})
