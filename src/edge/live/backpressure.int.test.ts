// Back-pressure: a client that stops reading fills its bounded buffer and is cut off with 4408, while a fast
// client on the same edge keeps receiving every event; the edge never waits for the slow socket.
import { afterAll, beforeAll, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import type { CommandContext } from "../../commands/index.ts"
import { newId, registry } from "../../platform/index.ts"
import { CLOSE } from "./protocol.ts"
import { LiveClient } from "../../../test/support/live/client.ts"
import { type LiveEdge, startLiveEdge } from "../../../test/support/live/edge.ts"

const system: CommandContext = { actor: { kind: "system", name: "backpressure-test" }, correlationId: "backpressure-test" }
const kioskId = "ksk_backpressure0000000000"

let t: Awaited<ReturnType<typeof commandRuntime>>
let edge: LiveEdge

beforeAll(async () => {
  t = await commandRuntime()
  edge = await startLiveEdge({
    store: t.store,
    secret: "backpressure-secret",
    limits: { maxQueuedBytes: 256 * 1024, maxQueuedMessages: 1_000, closeGraceMs: 30_000 },
  })
})
afterAll(async () => {
  await edge?.close()
  await t?.dispose()
})

/** Appends payments straight to the stream (valid events, many in flight): the load here is volume, not rules. */
async function appendPayments(count: number): Promise<number> {
  let last = 0
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < count) {
      next++
      const paymentId = newId("pay")
      const { seq } = await t.run(t.store.append("PAYMENTS", t.store.naming.subject.payment(kioskId, paymentId), [{
        type: "PaymentRecorded",
        data: { paymentId, kioskId, amount: 1250, currency: "EUR", occurredAt: new Date().toISOString(), operatorId: null, requestHash: "bench" },
      }], { expectedVersion: 0, context: system }))
      last = Math.max(last, seq)
    }
  }))
  return last
}

const slowDisconnects = async () => (await registry.getSingleMetric("ws_slow_consumer_disconnects_total")!.get()).values[0]?.value ?? 0

it("a client that stops reading is cut off with 4408 while a fast client on the same edge keeps receiving", async () => {
  const token = edge.token({ id: "usr_backpressureadmin", role: "admin" })
  const slow = await LiveClient.connect(edge.url, token)
  const fast = await LiveClient.connect(edge.url, token)
  // Two topics that both carry every payment here: twice the frames, so its buffers fill twice as fast.
  await slow.subscribe("payments")
  await slow.subscribe(`kiosk:${kioskId}`)
  await fast.subscribe("payments")
  slow.stopReading()

  const before = await slowDisconnects()
  let lastSeq = 0
  let appended = 0
  // Kernel socket buffers absorb the first megabytes; keep going until the edge gives up on the slow client.
  while ((await slowDisconnects()) === before) {
    lastSeq = await appendPayments(2_000)
    appended += 2_000
    if (appended >= 60_000) throw new Error("the slow client was never cut off")
  }
  // The fast client got everything, including what was appended after the slow one was cut off.
  const tail = await appendPayments(500)
  await fast.until(() => (fast.lastSeq("payments") === tail ? true : undefined), 30_000, `seq ${tail}`)
  const seqs = fast.events("payments").map((f) => f.seq!)
  expect(seqs.length).toBe(appended + 500)
  expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true)
  expect(lastSeq).toBeLessThan(tail)

  // Reading again, the slow client finds what was buffered for it, then the close frame.
  slow.resumeReading()
  expect((await slow.closed).code).toBe(CLOSE.slowConsumer)
  expect(slow.events("payments").length).toBeLessThan(appended)
  fast.terminate()
}, 120_000)
