// /ws inside the real edge app, with the tokens its /auth/login issues: a payment posted by a kiosk over HTTP
// reaches a logged-in admin's socket; a device token or an ended session cannot open a live session.
import { afterAll, beforeAll, expect, it } from "vitest"
import { PASSWORD } from "../../../test/support/edge.ts"
import { processRuntime } from "../../../test/support/processRuntime.ts"
import { testSettings } from "../../../test/support/settings.ts"
import { registerUser, systemActor } from "../../commands/index.ts"
import { type Edge, openEdge } from "../index.ts"
import { CLOSE } from "./protocol.ts"
import { LiveClient } from "../../../test/support/live/client.ts"

let edge: Edge
let runtime: ReturnType<typeof processRuntime>
let url: string

const inject = async (method: "GET" | "POST", path: string, payload?: object, token?: string, headers: Record<string, string> = {}) => {
  const response = await edge.app.inject({ method, url: path, ...(payload ? { payload } : {}), headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  return { status: response.statusCode, body: response.body ? response.json() : undefined }
}

beforeAll(async () => {
  const settings = await testSettings({ LOG_LEVEL: "fatal" })
  runtime = processRuntime(settings)
  edge = await openEdge(runtime, { limits: { loginPerMinute: 1_000, registerPerMinute: 1_000, kioskPerMinute: 10_000 } })
  // openEdge's app registers /ws itself (app.ts), as production does.
  await edge.app.listen({ host: "127.0.0.1", port: 0 })
  const address = edge.app.server.address()
  url = `ws://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/ws`
  await edge.app.run(registerUser({ username: "live-admin", password: PASSWORD, role: "admin" }, { actor: systemActor("test"), correlationId: "live-edge" }))
})
afterAll(async () => {
  await edge?.close()
  await runtime?.dispose()
})

it("a kiosk's payment posted over HTTP reaches an admin's socket; device tokens and ended sessions are refused", async () => {
  const login = await inject("POST", "/auth/login", { username: "live-admin", password: PASSWORD })
  expect(login.status, JSON.stringify(login.body)).toBe(200)
  const admin = await LiveClient.connect(url, login.body.token)
  await admin.subscribe("payments")

  const registered = await inject("POST", "/kiosks", { name: "Edge kiosk", location: "Hall E" }, login.body.token)
  expect(registered.status, JSON.stringify(registered.body)).toBe(201)
  const paid = await inject("POST", "/payments", { kiosk_id: registered.body.kiosk.id, amount: 1250, currency: "EUR" },
    registered.body.deviceToken, { "idempotency-key": "live-edge-1" })
  expect(paid.status, JSON.stringify(paid.body)).toBe(201)
  const event = await admin.next((f) => f.type === "event")
  expect(event).toMatchObject({ topic: "payments", seq: paid.body.seq, event: { type: "PaymentRecorded", data: { amount: 1250 } } })

  const device = await LiveClient.open(url)
  device.send({ type: "auth", token: registered.body.deviceToken })
  expect((await device.closed).code, JSON.stringify(device.frames)).toBe(CLOSE.unauthenticated)

  expect((await inject("POST", "/auth/logout", { refreshToken: login.body.refreshToken })).status).toBe(204)
  const ended = await LiveClient.open(url)
  ended.send({ type: "auth", token: login.body.token })
  expect((await ended.closed).code, JSON.stringify(ended.frames)).toBe(CLOSE.unauthenticated)
  admin.terminate()
})
