// A TCP hop between a client and the edge that a test can close, hold or cut, to put a kiosk in the hard places:
//   "pass"  — bytes flow both ways (a plain hop);
//   "hold"  — connections are accepted and kept waiting: the client has sent, nothing reaches the edge yet;
//   "cut"   — requests reach the edge, its answer does not reach the client (onAnswer fires with the first byte).
// Not a fake: the edge is the real one, the gate only plays the network.
import { connect, createServer, type Server, type Socket } from "node:net"

export type GateMode = "pass" | "hold" | "cut"

export interface Gate {
  readonly port: number
  readonly url: string
  mode: GateMode
  /** In "cut": called once per answer the edge sent and the client never got. */
  onAnswer: (() => void) | undefined
  /** Connections waiting in "hold". */
  held(): number
  /** Lets held connections through (and later ones). */
  open(): void
  /** Drops every connection in progress (the client sees a reset). */
  dropAll(): void
  close(): Promise<void>
}

export async function startGate(target: { readonly host?: string; readonly port: number }): Promise<Gate> {
  const sockets = new Set<Socket>()
  const waiting: Array<() => void> = []
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
    socket.on("error", () => {})
  }

  const forward = (client: Socket, buffered: Array<Buffer>) => {
    const upstream = connect(target.port, target.host ?? "127.0.0.1")
    track(upstream)
    for (const chunk of buffered) upstream.write(chunk)
    client.on("data", (chunk) => upstream.write(chunk))
    client.once("close", () => upstream.destroy())
    upstream.once("close", () => client.destroy())
    const cut = gate.mode === "cut"
    upstream.on("data", (chunk) => {
      if (!cut) return void client.write(chunk)
      gate.onAnswer?.()
      upstream.destroy()
      client.destroy()
    })
  }

  const server: Server = createServer((client) => {
    track(client)
    if (gate.mode !== "hold") return forward(client, [])
    const buffered: Array<Buffer> = []
    const keep = (chunk: Buffer) => void buffered.push(chunk)
    client.on("data", keep)
    waiting.push(() => {
      client.off("data", keep)
      if (!client.destroyed) forward(client, buffered)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as { port: number }).port

  const gate: Gate = {
    port,
    url: `http://127.0.0.1:${port}`,
    mode: "pass",
    onAnswer: undefined,
    held: () => waiting.length,
    open() {
      gate.mode = "pass"
      for (const release of waiting.splice(0)) release()
    },
    dropAll() {
      waiting.splice(0)
      for (const socket of sockets) socket.destroy()
    },
    close: () => new Promise<void>((resolve) => {
      gate.dropAll()
      server.close(() => resolve())
    }),
  }
  return gate
}
