// The live socket against a real WebSocket server (the `ws` package) speaking DESIGN.md's protocol: resume after
// a drop from the last seq per topic, drop duplicates, back off, renew a refused token.
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { backoffDelay, createLiveSocket, type LiveMessage, type LiveSocket, type SocketLike } from "./socket.ts"

interface Peer { send(data: string): void; close(code?: number): void; terminate(): void; on(event: string, fn: (data: unknown) => void): void }
interface Server {
  address(): AddressInfo
  clients: Set<Peer>
  on(event: "connection", fn: (peer: Peer) => void): void
  on(event: "listening", fn: () => void): void
  close(fn: () => void): void
}
interface Connection { peer: Peer; received: Array<Record<string, unknown>>; at: number }

// ws's Node build by its file: the "browser" condition the Solid tests resolve with would pick ws's browser stub.
const wsNodeBuild = join(dirname(fileURLToPath(import.meta.url)), "../../../node_modules/ws/index.js")
const ws = createRequire(import.meta.url)(wsNodeBuild) as {
  WebSocketServer: new (options: { port: number; host: string }) => Server
  WebSocket: new (url: string) => SocketLike
}
const { WebSocketServer } = ws

let server: Server | undefined
let live: LiveSocket | undefined
afterEach(async () => {
  live?.close()
  live = undefined
  for (const peer of server?.clients ?? []) peer.terminate()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A protocol server: `auth` with an accepted token gets `ready`; every frame a client sends is recorded. */
async function startServer(options: { accept?: (token: unknown) => boolean; readyOnAuth?: boolean } = {}) {
  const connections: Connection[] = []
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" })
  server = wss
  wss.on("connection", (peer) => {
    const connection: Connection = { peer, received: [], at: Date.now() }
    connections.push(connection)
    peer.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as Record<string, unknown>
      connection.received.push(message)
      if (message.type === "auth") {
        if (!(options.accept ?? (() => true))(message.token)) return peer.close(4401)
        if (options.readyOnAuth !== false) peer.send(JSON.stringify({ type: "ready", user: { id: "usr_1" } }))
      }
      if (message.type === "subscribe") peer.send(JSON.stringify({ type: "subscribed", topic: message.topic }))
    })
  })
  await new Promise<void>((resolve) => wss.on("listening", resolve))
  return { url: `ws://127.0.0.1:${wss.address().port}/ws`, connections }
}

const event = (topic: string, seq: number) =>
  JSON.stringify({ type: "event", topic, seq, event: { id: `evt_${seq}`, type: "PaymentRecorded", data: { paymentId: `pay_${seq}` }, time: "2026-11-28T10:00:00Z" } })

async function until(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

// The client side is ws too: jsdom's Event class would not mix with Node's own WebSocket.
const nodeSocket = (url: string) => new ws.WebSocket(url)

describe("live socket", () => {
  it("authenticates first, then resumes each topic from its last seq after a drop, without duplicates", async () => {
    const edge = await startServer()
    const seen: LiveMessage[] = []
    live = createLiveSocket({ url: edge.url, token: async () => "access-1", createSocket: nodeSocket, backoff: { initialMs: 10 }, random: () => 1 })
    live.subscribe("payments", (m) => seen.push(m), 41)
    live.connect()

    await until(() => edge.connections[0]?.received.length === 2, "auth and subscribe")
    const first = edge.connections[0]!
    expect(first.received).toEqual([{ type: "auth", token: "access-1" }, { type: "subscribe", topic: "payments", from_seq: 41 }])
    expect(live.state()).toBe("open")

    for (const seq of [42, 43, 43, 44]) first.peer.send(event("payments", seq))
    await until(() => seen.length === 3, "three events")
    first.peer.terminate()

    await until(() => live!.state() === "reconnecting", "reconnecting state")
    await until(() => edge.connections[1]?.received.length === 2, "resubscription")
    const second = edge.connections[1]!
    expect(second.received[1]).toEqual({ type: "subscribe", topic: "payments", from_seq: 44 })
    expect(live.state()).toBe("open")

    // The server replays from its own idea of the position: what was seen already is dropped.
    for (const seq of [43, 44, 45]) second.peer.send(event("payments", seq))
    await until(() => seen.length === 4, "the new event")
    expect(seen.map((m) => m.seq)).toEqual([42, 43, 44, 45])
    expect(seen[3]!.event.type).toBe("PaymentRecorded")
  })

  it("subscribes and unsubscribes topics on an open connection; other topics are not delivered", async () => {
    const edge = await startServer()
    const seen: string[] = []
    live = createLiveSocket({ url: edge.url, token: async () => "t", createSocket: nodeSocket })
    live.connect()
    await until(() => live!.state() === "open", "open")
    const off = live.subscribe("kiosk:kio_1", (m) => seen.push(`${m.topic}#${m.seq}`))
    await until(() => edge.connections[0]!.received.length === 2, "subscribe")
    const peer = edge.connections[0]!.peer
    peer.send(event("kiosks", 7))
    peer.send(event("kiosk:kio_1", 8))
    await until(() => seen.length === 1, "one event")
    off()
    await until(() => edge.connections[0]!.received.length === 3, "unsubscribe")
    expect(edge.connections[0]!.received.slice(1)).toEqual([
      { type: "subscribe", topic: "kiosk:kio_1" }, { type: "unsubscribe", topic: "kiosk:kio_1" },
    ])
    expect(seen).toEqual(["kiosk:kio_1#8"])
  })

  it("backs off exponentially while the server keeps dropping it before ready", async () => {
    const edge = await startServer({ readyOnAuth: false })
    live = createLiveSocket({
      url: edge.url, token: async () => "t", createSocket: nodeSocket, backoff: { initialMs: 40, factor: 2, maxMs: 1_000 }, random: () => 1,
    })
    live.connect()
    for (let i = 0; i < 4; i++) {
      await until(() => edge.connections[i]?.received.length === 1, `attempt ${i + 1}`)
      edge.connections[i]!.peer.terminate()
    }
    const gaps = edge.connections.slice(1, 4).map((c, i) => c.at - edge.connections[i]!.at)
    // Delays of 40, 80, 160 ms (plus connection time): each wait at least its delay and longer than the last.
    expect(gaps[0]).toBeGreaterThanOrEqual(40)
    expect(gaps[1]).toBeGreaterThanOrEqual(80)
    expect(gaps[2]).toBeGreaterThanOrEqual(160)
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!)
    expect(live.state()).toBe("reconnecting")
  })

  it("asks for a renewed token after the server refuses one (4401), and stops when the session is over", async () => {
    const edge = await startServer({ accept: (token) => token === "renewed" })
    const asked: boolean[] = []
    live = createLiveSocket({
      url: edge.url, createSocket: nodeSocket, backoff: { initialMs: 10 }, random: () => 1,
      token: async (force) => { asked.push(force); return asked.length === 1 ? "expired" : asked.length === 2 ? "renewed" : null },
    })
    live.connect()
    await until(() => live!.state() === "open", "open with the renewed token")
    expect(asked).toEqual([false, true])
    edge.connections[1]!.peer.terminate()
    await until(() => live!.state() === "closed", "closed once there is no token")
    expect(edge.connections).toHaveLength(2)
  })

  it("computes the delay as capped exponential with jitter between half and all of it", () => {
    const backoff = { initialMs: 500, maxMs: 30_000, factor: 2 }
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, backoff, 1))).toEqual([500, 1000, 2000, 4000])
    expect(backoffDelay(10, backoff, 1)).toBe(30_000)
    expect(backoffDelay(1, backoff, 0)).toBe(500)
  })
})
