// Resume: a client that drops and comes back with the last sequence it saw gets every event after it — replayed
// from JetStream, then live — with no gap and no duplicate, while payments keep arriving the whole time.
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { type CommandContext, kioskIdFor, recordPayment, registerKiosk } from "../../commands/index.ts"
import { registry } from "../../platform/index.ts"
import { LiveClient } from "../../../test/support/live/client.ts"
import { type LiveEdge, startLiveEdge } from "../../../test/support/live/edge.ts"

const system: CommandContext = { actor: { kind: "system", name: "resume-test" }, correlationId: "resume-test" }
const codes = ["KSK-RESUME-A", "KSK-RESUME-B", "KSK-RESUME-C"]
const kioskIds = codes.map(kioskIdFor)

let t: Awaited<ReturnType<typeof commandRuntime>>
let edge: LiveEdge

beforeAll(async () => {
  t = await commandRuntime()
  edge = await startLiveEdge({ store: t.store, secret: "resume-secret" })
  for (const code of codes) await t.run(registerKiosk({ name: code, location: "Hall", code }, system))
})
afterAll(async () => {
  await edge?.close()
  await t?.dispose()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One client's life on a topic: connects, drops after some events, waits while payments arrive, resumes. */
async function dropAndResume(topic: string, startSeq: number, drops: number, receivedBeforeDrop: number, isDone: () => boolean, finalSeq: () => number) {
  const token = edge.token({ id: "usr_resumingadmin01", role: "admin" })
  const seen: Array<{ seq: number; id: string }> = []
  let lastSeq = startSeq
  for (let life = 0; ; life++) {
    const client = await LiveClient.connect(edge.url, token)
    expect((await client.subscribe(topic, lastSeq)).type).toBe("subscribed")
    const last = life === drops
    if (!last) {
      // Let some events arrive, then vanish without a close handshake, like a dropped network.
      await client.until(() => (client.events(topic).length >= receivedBeforeDrop ? true : undefined), 20_000)
      client.terminate()
    } else {
      while (!isDone()) await sleep(20)
      await client.until(() => (client.lastSeq(topic) === finalSeq() ? true : undefined), 20_000, `seq ${finalSeq()}`)
      client.terminate()
    }
    for (const f of client.events(topic)) seen.push({ seq: f.seq!, id: f.event!.id })
    lastSeq = seen.at(-1)?.seq ?? lastSeq
    if (last) return seen
    await sleep(150) // payments keep arriving while it is away
  }
}

it("drops three times while payments keep arriving: every payment exactly once, in order, on two topics", async () => {
  const replayedBefore = await forwarded("replay")
  // The position the client starts from: the stream's end before the first payment.
  const start = await t.run(t.store.lastSequence("PAYMENTS"))
  const recorded: Array<{ seq: number; kioskId: string }> = []
  let writing = true
  const writer = (async () => {
    // Four writers across three kiosks, 600 payments in all.
    await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 150; i++) {
        const kioskId = kioskIds[(w + i) % kioskIds.length]!
        const { seq } = await t.run(recordPayment({ kioskId, amount: 100 + i, currency: "EUR", idempotencyKey: randomBytes(8).toString("hex") }, system))
        recorded.push({ seq, kioskId })
      }
    }))
    writing = false
  })()
  const expected = (kioskId?: string) => recorded.filter((r) => kioskId === undefined || r.kioskId === kioskId).map((r) => r.seq).sort((a, b) => a - b)
  const lastOf = (kioskId?: string) => expected(kioskId).at(-1)!

  const [all, one] = await Promise.all([
    dropAndResume("payments", start, 3, 60, () => !writing, () => lastOf()),
    dropAndResume(`kiosk:${kioskIds[0]}`, start, 3, 20, () => !writing, () => lastOf(kioskIds[0])),
  ])
  await writer

  expect(recorded).toHaveLength(600)
  expect(all.map((e) => e.seq)).toEqual(expected())
  expect(new Set(all.map((e) => e.id)).size).toBe(600)
  expect(one.map((e) => e.seq)).toEqual(expected(kioskIds[0]))
  expect(await forwarded("replay")).toBeGreaterThan(replayedBefore)
}, 120_000)

it("resuming from the last sequence with nothing new replays nothing and then continues live", async () => {
  const token = edge.token({ id: "usr_resumingadmin01", role: "admin" })
  const first = await t.run(recordPayment({ kioskId: kioskIds[1]!, amount: 500, currency: "EUR", idempotencyKey: randomBytes(8).toString("hex") }, system))
  const client = await LiveClient.connect(edge.url, token)
  await client.subscribe(`kiosk:${kioskIds[2]}`, first.seq)
  await client.subscribe("payments", first.seq)
  const next = await t.run(recordPayment({ kioskId: kioskIds[1]!, amount: 600, currency: "EUR", idempotencyKey: randomBytes(8).toString("hex") }, system))
  await client.next((f) => f.type === "event" && f.seq === next.seq)
  expect(client.events().map((f) => [f.topic, f.seq])).toEqual([["payments", next.seq]])
  client.terminate()
})

async function forwarded(source: "live" | "replay"): Promise<number> {
  const metric = await registry.getSingleMetric("ws_forwarded_messages_total")!.get()
  return metric.values.filter((v) => v.labels.source === source).reduce((sum, v) => sum + v.value, 0)
}
