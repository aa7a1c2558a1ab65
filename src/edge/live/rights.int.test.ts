// Rights are live (the must-show): in the real edge, over real sockets, a user's open /ws sessions end
// within 2 s of their deactivation, their demotion (an admin turned operator loses the fleet-wide payments) and
// their logout (only the sockets of that login). Each path is shown alone too: USERS without a session-store
// change (a role changed by a command, as the CLI would), the session store without USERS (a logout).
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../../test/support/edge.ts"
import { changeUserRole, systemActor } from "../../commands/index.ts"
import { CLOSE } from "./protocol.ts"
import { LiveClient } from "../../../test/support/live/client.ts"

/** The bound, from the moment the change was answered to the socket's close. */
const WITHIN_MS = 2_000

let sys: EdgeSystem
let admin: Session
let url: string
const clients: Array<LiveClient> = []

beforeAll(async () => {
  sys = await startEdgeSystem()
  await sys.app.listen({ host: "127.0.0.1", port: 0 })
  url = `ws://127.0.0.1:${(sys.app.server.address() as { port: number }).port}/ws`
  admin = await sys.userWithRole("admin")
})
afterAll(async () => {
  for (const client of clients) client.terminate()
  await sys?.close()
})

const connect = async (token: string) => {
  const client = await LiveClient.connect(url, token)
  clients.push(client)
  return client
}

type Kiosk = Awaited<ReturnType<EdgeSystem["registerKiosk"]>>

const pay = async (kiosk: Kiosk, key: string) => {
  const answer = await sys.app.inject({
    method: "POST", url: "/payments", headers: { ...sys.bearer(kiosk.deviceToken), "idempotency-key": key },
    payload: { kiosk_id: kiosk.kiosk.id, amount: 700, currency: "EUR" },
  })
  expect(answer.statusCode, answer.body).toBe(201)
  return answer.json() as { seq: number }
}

const pair = async (token: string, kiosk: Kiosk) => {
  const answer = await sys.app.inject({ method: "POST", url: "/kiosks/assign", headers: sys.bearer(token), payload: { code: await sys.pairingCode(admin, kiosk.kiosk.id) } })
  expect(answer.statusCode, answer.body).toBe(200)
}

/** How long after `change` resolved the socket closed; the close code and the last error frame. */
async function closedAfter(client: LiveClient, change: () => Promise<unknown>) {
  await change()
  const changedAt = performance.now()
  const closed = await Promise.race([client.closed, new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("the socket stayed open 10 s after the change")), 10_000))])
  console.info(`socket closed ${Math.round(performance.now() - changedAt)} ms after the change`)
  return { ms: performance.now() - changedAt, code: closed.code, error: client.frames.findLast((f) => f.type === "error") }
}

describe("a user's open sockets follow their rights", () => {
  it("deactivation ends every socket of the user within 2 s", async () => {
    const victim = await sys.userWithRole("operator")
    const second = await sys.login(victim.user.username)
    const [a, b] = [await connect(victim.token), await connect(second.token)]
    await a.subscribe("payments")
    const bystander = await connect((await sys.userWithRole("operator")).token)

    const ended = await closedAfter(a, () =>
      sys.app.inject({ method: "DELETE", url: `/auth/users/${victim.user.id}`, headers: sys.bearer(admin.token) }))
    expect(ended.code).toBe(CLOSE.unauthenticated)
    expect(ended.ms).toBeLessThan(WITHIN_MS)
    expect(ended.error).toMatchObject({ code: "unauthorized" })
    expect((await b.closed).code).toBe(CLOSE.unauthenticated)
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN)
  })

  it("demotion ends an admin's socket within 2 s; renewed as an operator, the fleet's payments are gone", async () => {
    const demoted = await sys.userWithRole("admin")
    const socket = await connect(demoted.token)
    await socket.subscribe("payments")
    const fleet = await sys.registerKiosk(admin)
    const before = await pay(fleet, "before-demotion")
    await socket.next((f) => f.type === "event" && f.seq === before.seq)

    const ended = await closedAfter(socket, () => sys.app.inject({
      method: "PATCH", url: `/auth/users/${demoted.user.id}`, headers: sys.bearer(admin.token), payload: { role: "operator" },
    }))
    expect(ended.code).toBe(CLOSE.unauthenticated)
    expect(ended.ms).toBeLessThan(WITHIN_MS)

    // The client does what a 4401 asks: renews its token (now an operator's) and resumes from the start.
    const renewed = await sys.app.inject({ method: "POST", url: "/auth/refresh", payload: { refreshToken: demoted.refreshToken } })
    expect(renewed.json().user.role).toBe("operator")
    const operatorToken = renewed.json().token as string
    const again = await connect(operatorToken)
    expect((await again.subscribe("payments", 0)).type).toBe("subscribed")
    await pay(fleet, "after-demotion")
    // Their own kiosk's payment, recorded last, marks the end of what they could be sent.
    const own = await sys.registerKiosk(admin)
    await pair(operatorToken, own)
    const mine = await pay(own, "own-kiosk")
    await again.next((f) => f.type === "event" && f.seq === mine.seq)
    expect(again.events().map((f) => f.seq)).toEqual([mine.seq])
  })

  it("logout ends the sockets of that login within 2 s, and only those", async () => {
    const user = await sys.userWithRole("auditor")
    const other = await sys.login(user.user.username)
    const loggedOut = await connect(user.token)
    const stays = await connect(other.token)
    const ended = await closedAfter(loggedOut, () =>
      sys.app.inject({ method: "POST", url: "/auth/logout", payload: { refreshToken: user.refreshToken } }))
    expect(ended.code).toBe(CLOSE.unauthenticated)
    expect(ended.ms).toBeLessThan(WITHIN_MS)
    expect(ended.error).toMatchObject({ code: "unauthorized", message: "the session was ended; log in again" })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(stays.socket.readyState).toBe(stays.socket.OPEN)
  })

  it("a role changed on the write side alone (USERS, no session-store change) still ends the socket", async () => {
    const user = await sys.userWithRole("auditor")
    const socket = await connect(user.token)
    const ended = await closedAfter(socket, () =>
      sys.app.run(changeUserRole(user.user.id, "operator", { actor: systemActor("test"), correlationId: "rights-test" })))
    expect(ended.code).toBe(CLOSE.unauthenticated)
    expect(ended.ms).toBeLessThan(WITHIN_MS)
    expect(ended.error).toMatchObject({ message: "the account's role changed; renew the token" })
  })
})
