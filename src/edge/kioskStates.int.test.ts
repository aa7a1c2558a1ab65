// The edge's in-process kiosk states across two edges in two processes (this one, and `serve --roles edge` as a
// child) sharing nothing but NATS: kiosk requests read no kiosk from NATS, and a rotated credential or a
// decommissioned kiosk is refused by every edge within the staleness bound.
import { randomBytes, randomUUID } from "node:crypto"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { type ServeProcess, startServe } from "../../test/support/serveProcess.ts"
import { testEnv } from "../../test/support/settings.ts"
import { DEFAULT_KIOSK_STATE_BOUND_MS, decommissionKiosk, EventStore, systemActor } from "../commands/index.ts"

const BOUND = DEFAULT_KIOSK_STATE_BOUND_MS
const secrets = { JWT_SECRET: randomBytes(32).toString("hex"), DEVICE_TOKEN_KEY: randomBytes(32).toString("hex") }

let sys: EdgeSystem
let admin: Session
let other: ServeProcess

beforeAll(async () => {
  sys = await startEdgeSystem({ env: secrets, projectors: false })
  admin = await sys.userWithRole("admin")
  other = await startServe("edge", testEnv({ ...secrets, APP_NAMESPACE: sys.settings.namespace }))
  await other.until200("METRICS_PORT", "/readyz", 120_000)
}, 180_000)
afterAll(async () => {
  await other?.stop()
  await sys?.close()
})

type Edge = "here" | "there"

/** POST /payments on one edge: its status. */
async function pay(edge: Edge, deviceToken: string, kioskId: string): Promise<number> {
  const headers = { authorization: `Bearer ${deviceToken}`, "idempotency-key": randomUUID(), "content-type": "application/json" }
  const body = JSON.stringify({ kiosk_id: kioskId, amount: 250, currency: "EUR" })
  if (edge === "here") return (await sys.app.inject({ method: "POST", url: "/payments", headers, payload: body })).statusCode
  const response = await fetch(`http://127.0.0.1:${other.ports.PORT}/payments`, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) })
  return response.status
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Kiosk reads this process's edge made from NATS so far (direct gets and snapshot gets of any stream). */
const readsHere = () => sys.app.run(Effect.map(EventStore, (store) => store.stats().directGets + store.stats().snapshotGets))

/** The other edge's KIOSKS reads, from its /metrics. */
async function kioskReadsThere(): Promise<number> {
  const text = await (await other.get("METRICS_PORT", "/metrics")).text()
  let sum = 0
  for (const line of text.split("\n")) if (line.startsWith("eventstore_reads_total{") && line.includes('stream="KIOSKS"')) sum += Number(line.split(" ").pop())
  return sum
}

/**
 * Polls `edge` from `since` (when the change was acknowledged) until past the bound: the first refusal must come
 * within the bound, and every request sent after the bound must be refused.
 */
async function refusedWithinBound(edge: Edge, since: number, attempt: () => Promise<number>) {
  let firstRefusal: number | undefined
  for (;;) {
    const sentAt = performance.now()
    const status = await attempt()
    if (status === 401 && firstRefusal === undefined) firstRefusal = sentAt - since
    if (sentAt - since > BOUND) {
      expect(status, `${edge}: a request sent ${Math.round(sentAt - since)} ms after the change`).toBe(401)
      break
    }
    await sleep(20)
  }
  expect(firstRefusal, edge).toBeDefined()
  expect(firstRefusal!).toBeLessThanOrEqual(BOUND)
  return firstRefusal!
}

describe("kiosk states on every edge", () => {
  it("with its kiosk states rebuilt the edge is ready, and kiosk requests read no kiosk from NATS", async () => {
    expect((await sys.app.inject({ url: "/readyz" })).statusCode).toBe(200)
    const { kiosk, deviceToken } = await sys.registerKiosk(admin)
    await sleep(BOUND)
    for (const edge of ["here", "there"] as const) expect(await pay(edge, deviceToken, kiosk.id)).toBe(201)
    const [here, there] = [await readsHere(), await kioskReadsThere()]
    for (let i = 0; i < 5; i++) for (const edge of ["here", "there"] as const) expect(await pay(edge, deviceToken, kiosk.id)).toBe(201)
    expect(await readsHere()).toBe(here)
    expect(await kioskReadsThere()).toBe(there)
  })

  it("a rotated credential is refused by both edges within the bound; the new one is taken by both", async () => {
    const { kiosk, deviceToken: old } = await sys.registerKiosk(admin)
    await sleep(BOUND)
    for (const edge of ["here", "there"] as const) expect(await pay(edge, old, kiosk.id)).toBe(201)
    const rotated = await sys.app.inject({ method: "POST", url: `/kiosks/${kiosk.id}/credentials`, headers: sys.bearer(admin.token) })
    const since = performance.now()
    expect(rotated.statusCode).toBe(200)
    const fresh = (rotated.json() as { deviceToken: string }).deviceToken
    const [here, there] = await Promise.all([
      refusedWithinBound("here", since, () => pay("here", old, kiosk.id)),
      refusedWithinBound("there", since, () => pay("there", old, kiosk.id)),
    ])
    process.stdout.write(`rotated credential refused after ${Math.round(here)} ms here, ${Math.round(there)} ms in the other process\n`)
    for (const edge of ["here", "there"] as const) expect(await pay(edge, fresh, kiosk.id)).toBe(201)
  })

  it("a decommissioned kiosk is refused by both edges within the bound", async () => {
    const { kiosk, deviceToken } = await sys.registerKiosk(admin)
    await sleep(BOUND)
    for (const edge of ["here", "there"] as const) expect(await pay(edge, deviceToken, kiosk.id)).toBe(201)
    await sys.app.run(decommissionKiosk(kiosk.id, { actor: systemActor("test"), correlationId: randomUUID() }))
    const since = performance.now()
    await Promise.all([
      refusedWithinBound("here", since, () => pay("here", deviceToken, kiosk.id)),
      refusedWithinBound("there", since, () => pay("there", deviceToken, kiosk.id)),
    ])
  })

  it("both edges agree on every kiosk's token after a mix of changes", async () => {
    const kiosks = await Promise.all([0, 1, 2, 3].map(() => sys.registerKiosk(admin)))
    const tokens = kiosks.map((k) => ({ kioskId: k.kiosk.id, token: k.deviceToken }))
    const rotated = await sys.app.inject({ method: "POST", url: `/kiosks/${kiosks[1]!.kiosk.id}/credentials`, headers: sys.bearer(admin.token) })
    tokens.push({ kioskId: kiosks[1]!.kiosk.id, token: (rotated.json() as { deviceToken: string }).deviceToken })
    await sys.app.run(decommissionKiosk(kiosks[2]!.kiosk.id, { actor: systemActor("test"), correlationId: randomUUID() }))
    await sleep(BOUND)
    const answers = async (edge: Edge) => Promise.all(tokens.map((t) => pay(edge, t.token, t.kioskId)))
    const [here, there] = [await answers("here"), await answers("there")]
    expect(here).toEqual([201, 401, 401, 201, 201])
    expect(there).toEqual(here)
  })
})
