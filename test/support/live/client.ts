// A /ws client for tests and the bench, on the `ws` package: it keeps every frame it receives, can wait for one,
// and can stop reading its socket to play a slow consumer.
import { WebSocket } from "ws"

export interface Frame {
  readonly type: string
  readonly topic?: string
  readonly seq?: number
  readonly code?: string
  readonly message?: string
  readonly reason?: string
  readonly event?: { readonly id: string; readonly type: string; readonly data: Record<string, unknown>; readonly time: string }
  readonly [key: string]: unknown
}

export class LiveClient {
  readonly socket: WebSocket
  readonly frames: Array<Frame> = []
  /** Resolves with the close code once the connection is closed. */
  readonly closed: Promise<{ code: number; reason: string }>
  private readonly listeners = new Set<() => void>()

  private constructor(socket: WebSocket) {
    this.socket = socket
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame)
      for (const listener of this.listeners) listener()
    })
    this.closed = new Promise((resolve) => socket.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() })
      for (const listener of this.listeners) listener()
    }))
  }

  static open(url: string): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      const client = new LiveClient(socket)
      socket.once("open", () => resolve(client))
      socket.once("error", reject)
    })
  }

  /** Opens, authenticates and waits for `ready`. */
  static async connect(url: string, token: string): Promise<LiveClient> {
    const client = await LiveClient.open(url)
    client.send({ type: "auth", token })
    await client.next((f) => f.type === "ready" || f.type === "error")
    const answer = client.frames.at(-1)!
    if (answer.type !== "ready") throw new Error(`auth refused: ${JSON.stringify(answer)}`)
    return client
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message))
  }

  /** Subscribes and waits for the answer (`subscribed`, or the error frame naming the topic). */
  async subscribe(topic: string, fromSeq?: number): Promise<Frame> {
    const from = this.frames.length
    this.send(fromSeq === undefined ? { type: "subscribe", topic } : { type: "subscribe", topic, from_seq: fromSeq })
    return this.next((f) => (f.type === "subscribed" || f.type === "error") && f.topic === topic, 10_000, from)
  }

  events(topic?: string): Array<Frame> {
    return this.frames.filter((f) => f.type === "event" && (topic === undefined || f.topic === topic))
  }

  lastSeq(topic: string): number | undefined {
    return this.events(topic).at(-1)?.seq
  }

  /** The first frame at or after index `from` that matches, waiting for it if need be. */
  next(match: (frame: Frame) => boolean, timeoutMs = 10_000, from = 0): Promise<Frame> {
    return this.until(() => this.frames.slice(from).find(match), timeoutMs, "a matching frame")
  }

  /** Waits until `check` returns something other than undefined (re-checked on every frame). */
  until<T>(check: () => T | undefined, timeoutMs = 10_000, what = "a condition"): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const found = check()
        if (found === undefined) return false
        done()
        resolve(found)
        return true
      }
      const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
      const listener = () => void test()
      const done = () => { clearTimeout(timer); this.listeners.delete(listener) }
      this.listeners.add(listener)
      test()
    })
  }

  /** Stops reading the TCP socket: the edge's writes pile up in the kernel, then in its own buffer. */
  stopReading(): void {
    socketOf(this.socket).pause()
  }

  resumeReading(): void {
    socketOf(this.socket).resume()
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(1000)
  }

  terminate(): void {
    this.socket.terminate()
  }
}

// `ws` keeps the TCP socket in a private field; pausing it is the one way to stop reading without closing.
function socketOf(socket: WebSocket): { pause(): void; resume(): void } {
  return (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket
}
