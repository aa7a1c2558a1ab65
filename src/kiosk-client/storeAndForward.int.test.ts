// The kiosk client against a real edge (a `serve --roles edge` process on NATS and Postgres), in the places where
// kiosks lose money: the edge gone for a while, the kiosk killed between its own commit and the send or between the
// edge's commit and its own, a credential rotated while sales wait, a sale the edge refuses. Every check of "once"
// reads the PAYMENTS stream itself.
import { mkdtemp, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStore, type EventStoreShape } from "../commands/index.ts"
import { type EdgeSystem, type Session, startEdgeSystem } from "../../test/support/edge.ts"
import { type KioskChild, startKioskChild } from "../../test/support/kioskChild.ts"
import { exactlyOnce, paymentsInStream } from "../../test/support/paymentsInStream.ts"
import { freePort, type RoleProcess, startRoles } from "../../test/support/roleProcess.ts"
import { type Gate, startGate } from "../../test/support/tcpGate.ts"
import { type KioskClient, openFileJournal, openKioskClient } from "./node.ts"

let system: EdgeSystem
let admin: Session
let store: EventStoreShape
let edgeEnv: Record<string, string>
let edgePort: number
let edge: RoleProcess
let dir: string
const opened: Array<KioskClient> = []
const children: Array<KioskChild> = []
const gates: Array<Gate> = []

beforeAll(async () => {
  system = await startEdgeSystem({ projectors: false })
  admin = await system.userWithRole("admin")
  store = await system.app.run(EventStore)
  edgePort = await freePort()
  const s = system.settings
  edgeEnv = { NODE_ENV: "test", NATS_URL: s.natsUrl, DATABASE_URL: s.databaseUrl, APP_NAMESPACE: s.namespace, HOST: "127.0.0.1", PORT: String(edgePort) }
  edge = await startRoles("edge", edgeEnv)
  dir = await mkdtemp(join(tmpdir(), "kiosk-client-"))
})

afterAll(async () => {
  for (const client of opened) await client.close()
  for (const child of children) await child.kill()
  for (const gate of gates) await gate.close()
  await edge?.kill("SIGTERM")
  await system?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const edgeUrl = () => `http://127.0.0.1:${edgePort}`
const journalFor = (name: string) => join(dir, name, "journal.log")

async function client(name: string, deviceToken: string | undefined, options: { baseUrl?: string; compactAfter?: number; fetch?: typeof fetch } = {}) {
  const opened_ = await openKioskClient({
    baseUrl: options.baseUrl ?? edgeUrl(),
    store: await openFileJournal(journalFor(name)),
    ...(deviceToken ? { deviceToken } : {}),
    retry: { baseMs: 100, maxMs: 1_000 },
    requestTimeoutMs: 5_000,
    appVersion: "kiosk-test 1.2.3",
    ...(options.compactAfter ? { compactAfter: options.compactAfter } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  opened.push(opened_)
  return opened_
}

async function kioskChild(name: string, url: string, deviceToken?: string) {
  const child = await startKioskChild(journalFor(name), url, deviceToken)
  children.push(child)
  return child
}

async function gate() {
  const g = await startGate({ port: edgePort })
  gates.push(g)
  return g
}

async function expectEachOnce(kioskId: string, keys: ReadonlyArray<string>) {
  const recorded = await paymentsInStream(store)
  const report = exactlyOnce(new Map([[kioskId, keys]]), recorded)
  expect(report).toEqual({ accepted: keys.length, inStream: keys.length, losses: [], duplicates: [], unexplained: [] })
  return recorded.filter((p) => p.kioskId === kioskId)
}

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe("a kiosk cut off from the edge", () => {
  it("keeps taking payments while the edge process is stopped, and delivers them all, in order and each once, when it returns", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const kioskClient = await client("cut-off", deviceToken)
    const keys: Array<string> = []
    for (let i = 0; i < 5; i++) keys.push((await kioskClient.recordPayment({ amount: 500 + i, currency: "EUR" })).key)
    await kioskClient.drained(20_000)

    await edge.kill("SIGKILL")
    for (let i = 0; i < 20; i++) keys.push((await kioskClient.recordPayment({ amount: 1_000 + i, currency: "EUR" })).key)
    await until("the client to notice", () => kioskClient.status().reachable === false)
    const away = kioskClient.status()
    expect(away.queueDepth).toBeGreaterThanOrEqual(19)
    expect(away.oldestUndeliveredAgeMs).toBeGreaterThanOrEqual(0)
    expect(away.lastError).toMatch(/fetch failed|ECONNREFUSED|Error/)

    edge = await startRoles("edge", edgeEnv)
    await kioskClient.drained(30_000)
    const back = kioskClient.status()
    expect(back).toMatchObject({ queueDepth: 0, delivered: 25, rejected: [], reachable: true, oldestUndeliveredAgeMs: null })

    const recorded = await expectEachOnce(kiosk.id, keys)
    // In order: the stream holds them in the order they were sold, with each sale's own business time.
    expect([...recorded].sort((a, b) => a.seq - b.seq).map((p) => p.amount)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => 500 + i), ...Array.from({ length: 20 }, (_, i) => 1_000 + i)])
    const times = recorded.map((p) => p.occurredAt)
    expect(times).toEqual([...times].sort())
  })
})

describe("a kiosk killed with SIGKILL", () => {
  it("between its local commit and the send: redelivers on restart, each payment once", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const hop = await gate()
    hop.mode = "hold"
    const first = await kioskChild("killed-before-send", hop.url, deviceToken)
    first.send({ payMany: { count: 5, currency: "EUR" } })
    await until("five durable sales", () => first.accepted.length === 5)
    await until("the first send to be on the wire", () => hop.held() > 0)
    await first.kill()
    hop.dropAll()
    expect((await paymentsInStream(store)).filter((p) => p.kioskId === kiosk.id)).toEqual([])

    hop.open()
    const second = await kioskChild("killed-before-send", hop.url)
    second.send({ drain: 20_000 })
    const drained = await second.next((l) => l.drained === true || l.drainFailed !== undefined)
    expect(drained.drainFailed).toBeUndefined()
    expect(drained.status).toMatchObject({ queueDepth: 0, delivered: 5, rejected: [] })
    await expectEachOnce(kiosk.id, first.accepted)
  })

  it("after the edge recorded the payment but before the kiosk journalled it: the retry is the same payment", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const hop = await gate()
    hop.mode = "cut"
    const first = await kioskChild("killed-after-edge", hop.url, deviceToken)
    let killed: Promise<void> | undefined
    hop.onAnswer = () => { killed ??= first.kill() }
    first.send({ payMany: { count: 3, currency: "EUR" } })
    await until("the edge's answer to be cut", () => killed !== undefined)
    await killed
    // The edge has the first sale; the kiosk's journal does not know it.
    expect((await paymentsInStream(store)).filter((p) => p.kioskId === kiosk.id)).toHaveLength(1)

    hop.mode = "pass"
    const second = await kioskChild("killed-after-edge", hop.url)
    second.send({ drain: 20_000 })
    const drained = await second.next((l) => l.drained === true || l.drainFailed !== undefined)
    expect(drained.drainFailed).toBeUndefined()
    const report = exactlyOnce(new Map([[kiosk.id, first.accepted]]), await paymentsInStream(store))
    expect({ ...report, unexplained: [] }).toEqual({ accepted: first.accepted.length, inStream: first.accepted.length, losses: [], duplicates: [], unexplained: [] })
    // The next sale may have been made durable in the instant before the kill, before it could say so: delivered too.
    expect(report.unexplained.length).toBeLessThanOrEqual(1)
  })

  it("at random moments, again and again, while selling: nothing accepted is lost and no sale is paid twice", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const accepted: Array<string> = []
    let token: string | undefined = deviceToken
    const kills = 6
    for (let round = 0; round < kills; round++) {
      const child = await kioskChild("killed-at-random", edgeUrl(), token)
      token = undefined
      child.send({ payMany: { count: 40, currency: "EUR" } })
      await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 250)))
      await child.kill()
      accepted.push(...child.accepted)
    }
    const last = await kioskChild("killed-at-random", edgeUrl())
    last.send({ drain: 30_000 })
    expect((await last.next((l) => l.drained === true || l.drainFailed !== undefined)).drainFailed).toBeUndefined()

    const recorded = await paymentsInStream(store)
    const report = exactlyOnce(new Map([[kiosk.id, accepted]]), recorded)
    expect(report.losses).toEqual([])
    expect(report.duplicates).toEqual([])
    // A sale made durable in the instant before a kill, before it could say so, is delivered too (at most one per kill).
    expect(report.unexplained.length).toBeLessThanOrEqual(kills)
    expect(accepted.length).toBeGreaterThan(0)
  })
})

describe("a credential rotated while payments are queued", () => {
  it("parks the queue on 401 (nothing rejected) and delivers it with the new token once the kiosk picks that up", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const hop = await gate()
    hop.mode = "hold"
    const kioskClient = await client("rotated", deviceToken, { baseUrl: hop.url })
    const keys: Array<string> = []
    for (let i = 0; i < 4; i++) keys.push((await kioskClient.recordPayment({ amount: 700 + i, currency: "USD" })).key)

    const rotated = await system.app.inject({ method: "POST", url: `/kiosks/${kiosk.id}/credentials`, headers: system.bearer(admin.token) })
    expect(rotated.statusCode).toBe(200)
    const newToken = rotated.json().deviceToken as string

    hop.open()
    await until("the old token to be refused", () => kioskClient.status().credentialRefused)
    expect(kioskClient.status()).toMatchObject({ queueDepth: 4, rejected: [], delivered: 0 })

    await kioskClient.rotateCredential(newToken)
    await kioskClient.drained(20_000)
    expect(kioskClient.status()).toMatchObject({ queueDepth: 0, delivered: 4, rejected: [], credentialRefused: false })
    await expectEachOnce(kiosk.id, keys)

    // The new token is in the journal: a restart sends with it, no token given.
    await kioskClient.close()
    const restarted = await client("rotated", undefined, { baseUrl: hop.url })
    const more = await restarted.recordPayment({ amount: 1, currency: "USD" })
    await restarted.drained(20_000)
    await expectEachOnce(kiosk.id, [...keys, more.key])
  })
})

describe("a payment the edge refuses", () => {
  it("moves to the rejected list with the problem's detail, and the queue goes on", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    // Sales journalled by a kiosk that was offline for longer than the edge's forward window (90 days by default),
    // and by one whose clock produced a date that does not exist: the edge refuses both for good (422).
    const tooOld = new Date(Date.now() - 100 * 86_400_000).toISOString()
    const journal = await openFileJournal(journalFor("refused"))
    await journal.append([
      { kind: "credential", token: deviceToken, at: new Date().toISOString() },
      { kind: "queued", payment: { key: "too-old-sale", kioskId: kiosk.id, amount: 1250, currency: "EUR", occurredAt: tooOld } },
      { kind: "queued", payment: { key: "no-such-day", kioskId: kiosk.id, amount: 990, currency: "EUR", occurredAt: "2026-02-30T10:00:00Z" } },
    ])
    await journal.close()
    const kioskClient = await client("refused", undefined)
    const good = await kioskClient.recordPayment({ amount: 300, currency: "EUR" })
    await kioskClient.drained(20_000)

    const status = kioskClient.status()
    expect(status.delivered).toBe(1)
    expect(status.rejected.map((r) => [r.payment.key, r.status])).toEqual([["too-old-sale", 422], ["no-such-day", 422]])
    for (const r of status.rejected) expect(r.problem.detail).toMatch(/occurred_at/)
    await expectEachOnce(kiosk.id, [good.key])
  })
})

describe("the kiosk's own reports", () => {
  it("heartbeat carries the software version, uptime and queue depth", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    // Payments wait in a held hop; heartbeats go straight to the edge.
    const hop = await gate()
    hop.mode = "hold"
    const kioskClient = await client("heartbeat", deviceToken, {
      fetch: (input, init) => fetch(String(input).replace(`${edgeUrl()}/payments`, `${hop.url}/payments`), init),
    })
    await kioskClient.recordPayment({ amount: 100, currency: "EUR" })
    await kioskClient.recordPayment({ amount: 200, currency: "EUR" })
    const beat = await kioskClient.heartbeat()
    expect(beat.seq).toBeGreaterThan(0)

    let found: { appVersion: string | null; status: Record<string, unknown> } | undefined
    for await (const commit of store.replay("TELEMETRY", { untilEnd: true })) {
      for (const e of commit.recorded) {
        const data = e.data as { kioskId: string; appVersion: string | null; status: Record<string, unknown> }
        if (data.kioskId === kiosk.id) found = data
      }
    }
    expect(found?.appVersion).toBe("kiosk-test 1.2.3")
    expect(found?.status).toMatchObject({ uptimeSeconds: expect.any(Number), queueDepth: expect.any(Number), rejected: 0 })
    expect(found!.status.queueDepth).toBe(2)
    hop.open()
    await kioskClient.drained(20_000)
  })

  it("compacts its journal as deliveries pile up, keeping what it must", async () => {
    const { kiosk, deviceToken } = await system.registerKiosk(admin)
    const kioskClient = await client("compacted", deviceToken, { compactAfter: 20 })
    const keys: Array<string> = []
    for (let i = 0; i < 60; i++) keys.push((await kioskClient.recordPayment({ amount: 10 + i, currency: "EUR" })).key)
    await kioskClient.drained(30_000)
    const last = kioskClient.status().lastDelivered
    await kioskClient.close()
    expect((await stat(journalFor("compacted"))).size).toBeLessThan(60 * 150)

    const reopened = await client("compacted", undefined)
    expect(reopened.status()).toMatchObject({ delivered: 60, queueDepth: 0, lastDelivered: last })
    await expectEachOnce(kiosk.id, keys)
  })
})
