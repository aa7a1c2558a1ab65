// Flow control for one /ws client: its frames go straight into the socket, corked per turn of the event loop so
// that a backlog leaves in few large writes; the socket's buffer is bounded (bytes, and frames not yet flushed), and
// past the bound the client is cut off (`overflow`) instead of holding memory or slowing the fan-out.
import type { Socket } from "node:net"
import type { WebSocket } from "ws"
import type { LiveLimits } from "./limits.ts"

const TEXT_FRAME = { binary: false } as const

export interface FlowControlOptions {
  readonly limits: Pick<LiveLimits, "maxQueuedBytes" | "maxQueuedMessages">
  /** Asks for `uncork()` once the current turn of the event loop is over. */
  readonly uncorkSoon: () => void
  /** The bound was passed: the caller cuts the client off. */
  readonly overflow: (detail: string) => void
}

export class FlowControl {
  private readonly socket: WebSocket
  private readonly options: FlowControlOptions
  /** The TCP socket under the WebSocket (`ws` keeps it in a private field; it has no cork of its own). */
  private readonly tcp: Pick<Socket, "cork" | "uncork">
  /** Frames handed to the socket and not yet flushed to the kernel. */
  private unflushed = 0
  private waiters: Array<() => void> = []
  private corked = false

  constructor(socket: WebSocket, options: FlowControlOptions) {
    this.socket = socket
    this.options = options
    this.tcp = (socket as unknown as { _socket: Socket })._socket
  }

  /** Room for more: under the bound, or under `1/divisor` of it (a waiter resumes at half). */
  hasRoom(divisor = 1): boolean {
    const { maxQueuedBytes, maxQueuedMessages } = this.options.limits
    return this.socket.bufferedAmount <= maxQueuedBytes / divisor && this.unflushed < maxQueuedMessages / divisor
  }

  /** Sends one frame, or reports the overflow and sends nothing. */
  push(frame: Buffer | string): boolean {
    if (!this.hasRoom()) {
      this.options.overflow(`${this.socket.bufferedAmount} bytes and ${this.unflushed} frames unflushed`)
      return false
    }
    this.unflushed++
    if (!this.corked) {
      // Frames sent to this client in the same turn of the event loop leave in one write (one syscall), which is
      // what keeps a backlog from growing: the further behind, the larger (and fewer) the writes.
      this.corked = true
      this.tcp.cork()
      this.options.uncorkSoon()
    }
    this.socket.send(frame, TEXT_FRAME, this.flushed)
    return true
  }

  /** Resolves once the buffer is down to half its bound. */
  drained(): Promise<void> {
    if (this.hasRoom(2)) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Lets the frames corked in this turn go out. */
  uncork(): void {
    if (!this.corked) return
    this.corked = false
    this.tcp.uncork()
  }

  /** Releases everyone waiting for room (the buffer drained, or the connection closed). */
  wake(): void {
    const waiting = this.waiters
    this.waiters = []
    for (const resolve of waiting) resolve()
  }

  private readonly flushed = (): void => {
    this.unflushed--
    if (this.waiters.length > 0 && this.hasRoom(2)) this.wake()
  }
}
