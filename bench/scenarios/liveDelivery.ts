// Live delivery with 1,000 connected /ws clients: an edge in its own process, every client subscribed to
// `payments`, payments appended at a steady rate; latency is append ack → client receipt, for every client and
// every event (also reported from the start of the append, which includes the ack itself).
import { randomBytes } from "node:crypto"
import { readFile } from "node:fs/promises"
import { loadavg } from "node:os"
import { performance } from "node:perf_hooks"
import { Effect } from "effect"
import { openEventStore } from "../../src/commands/index.ts"
import { LiveClient } from "../../test/support/live/client.ts"
import { spawnEdge } from "../../test/support/live/spawnEdge.ts"
import { signTestToken } from "../../test/support/live/tokens.ts"
import { closeNats, connectNats, newId, readSettings } from "../../src/platform/index.ts"
import { defineScenario } from "../scenario.ts"
import { percentiles } from "../support/measure.ts"

const CLIENTS = Number(process.env.LIVE_BENCH_CLIENTS ?? 1_000)
/** Payments appended per second; each one is a frame to every client. */
const RATE = Number(process.env.LIVE_BENCH_RATE ?? 20)
const CONNECT_BATCH = 50
const SEQ = /"seq":(\d+)/

const P99_TARGET_MS = 25
const NAME = `append ack → WebSocket receipt, ${CLIENTS.toLocaleString("en")} clients`

export default defineScenario({
  name: NAME,
  async run(ctx) {
    const settings = await Effect.runPromise(readSettings(ctx.env))
    const nats = await connectNats(settings, "bench-live")
    const store = await Effect.runPromise(openEventStore(nats, settings))
    const secret = randomBytes(24).toString("hex")
    const edge = await spawnEdge({ env: ctx.env, secret })
    const clients: Array<LiveClient> = []
    /** Receipt times (ms, this process's clock) per seq, one entry per client that got it. */
    const receipts = new Map<number, Array<number>>()
    try {
      for (let i = 0; i < CLIENTS; i += CONNECT_BATCH) {
        ctx.note(`connecting clients ${i}/${CLIENTS}`)
        const batch = await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - i) }, async (_, j) => {
          const client = await LiveClient.connect(edge.url, signTestToken(secret, { id: `usr_bench${String(i + j).padStart(6, "0")}`, role: "admin" }))
          await client.subscribe("payments")
          // From here on only the seq is read, as cheaply as possible: the bench process is the 1,000 clients.
          client.socket.removeAllListeners("message")
          client.socket.on("message", (data: Buffer) => {
            const at = performance.now()
            const seq = Number(SEQ.exec(data.toString("latin1"))?.[1])
            const list = receipts.get(seq)
            if (list === undefined) receipts.set(seq, [at])
            else list.push(at)
          })
          return client
        }))
        clients.push(...batch)
      }
      ctx.note(`${CLIENTS} clients subscribed; appending ${RATE} payments/s`)

      const kioskId = "ksk_benchlivedelivery00000"
      const appends: Array<{ seq: number; sentAt: number; ackedAt: number }> = []
      const warmupMs = Math.min(1_000, ctx.durationMs * 0.1)
      const started = performance.now()
      const until = started + warmupMs + ctx.durationMs
      const loadBefore = loadavg()[0]!
      const edgeCpuBefore = await cpuSecondsOf(edge.child.pid!)
      const inFlight: Array<Promise<void>> = []
      for (let n = 0; performance.now() < until && !ctx.signal.aborted; n++) {
        const due = started + (n * 1000) / RATE
        const wait = due - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        const paymentId = newId("pay")
        const sentAt = performance.now()
        inFlight.push(Effect.runPromise(store.append("PAYMENTS", store.naming.subject.payment(kioskId, paymentId), [{
          type: "PaymentRecorded",
          data: { paymentId, kioskId, amount: 1250, currency: "EUR", occurredAt: new Date().toISOString(), operatorId: null, requestHash: "bench" },
        }], { expectedVersion: 0, context: { actor: { kind: "system", name: "bench" }, correlationId: paymentId } })).then(({ seq }) => {
          if (sentAt >= started + warmupMs) appends.push({ seq, sentAt, ackedAt: performance.now() })
        }))
      }
      await Promise.all(inFlight)
      const edgeCpu = (await cpuSecondsOf(edge.child.pid!)) - edgeCpuBefore
      const eventsSent = inFlight.length
      // Let the last events arrive everywhere (bounded).
      const last = Math.max(...appends.map((a) => a.seq))
      const deadline = performance.now() + 10_000
      while ((receipts.get(last)?.length ?? 0) < CLIENTS && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))

      const fromAck: Array<number> = []
      const fromSend: Array<number> = []
      let missing = 0
      for (const { seq, sentAt, ackedAt } of appends) {
        const got = receipts.get(seq) ?? []
        missing += CLIENTS - got.length
        for (const at of got) {
          fromAck.push(at - ackedAt)
          fromSend.push(at - sentAt)
        }
      }
      const seconds = ctx.durationMs / 1000
      const acked = percentiles(fromAck.length > 0 ? fromAck : [0])
      const sent = percentiles(fromSend.length > 0 ? fromSend : [0])
      return [{
        name: NAME,
        unit: "deliveries",
        perSecond: fromAck.length / seconds,
        latencyMs: acked,
        target: { text: `p99 ≤ ${P99_TARGET_MS} ms`, met: acked.p99 <= P99_TARGET_MS && missing === 0 },
        checks: [{ name: "every event reached every client", ok: missing === 0, detail: `${missing} deliveries missing of ${appends.length * CLIENTS}` }],
        notes: {
          clients: CLIENTS,
          events: appends.length,
          ratePerSecond: RATE,
          ackToReceiptMaxMs: round(acked.max),
          appendStartToReceiptP50Ms: round(sent.p50),
          appendStartToReceiptP99Ms: round(sent.p99),
          receivedBeforeAck: fromAck.filter((ms) => ms < 0).length,
          // The conditions: the edge's CPU per event fanned out to every client, and the machine's load.
          edgeCpuMsPerEvent: round((edgeCpu * 1000) / eventsSent),
          loadAverage1m: round(loadBefore),
          where: "the live edge (test/support/live/edgeProcess.ts) in its own process",
        },
      }]
    } finally {
      for (const client of clients) client.terminate()
      await edge.stop()
      await closeNats(nats)
    }
  },
})

const round = (ms: number) => Math.round(ms * 100) / 100

/** User + system CPU seconds a process has used (Linux /proc; clock ticks are 100 Hz there). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}
