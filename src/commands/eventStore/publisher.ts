// Appends as pipelined publishes. Every append of this process names its own reply subject under one inbox that a
// single subscription reads, and the appends of one turn of the event loop leave in one socket write. nats.js's
// request() (under js.publish) starts a timer and builds an Error for every request, even one that succeeds; here a
// pending append is a map entry until its ack arrives, and one sweep fails those that waited too long.
// Same guarantees as js.publish: the same headers (message id, expected stream and subject sequence), the server's
// ack or error as the answer, and a resend (same message id, so never stored twice) when nobody answered.
import { createInbox, type Msg, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node"

/** The server's answer to one append. */
export type PubAnswer =
  | { readonly ok: true; readonly stream: string; readonly seq: number; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: number; readonly errCode: number; readonly description: string }

interface Pending {
  readonly subject: string
  readonly body: Uint8Array
  readonly headers: MsgHdrs
  readonly resolve: (answer: PubAnswer) => void
  readonly reject: (error: Error) => void
  deadline: number
  attempts: number
}

export interface PublisherOptions {
  /** How long an append waits for its ack. */
  readonly timeoutMs: number
  /** Sends in all when JetStream had no responder (a leader election), each after `retryDelayMs`. */
  readonly attempts: number
  readonly retryDelayMs?: number
}

const SWEEP_EVERY_MS = 250

export class PipelinedPublisher {
  private readonly nc: NatsConnection
  private readonly options: PublisherOptions
  private readonly inbox = createInbox()
  private readonly pending = new Map<string, Pending>()
  private queued: Array<string> = []
  private counter = 0
  private readonly sweeper: NodeJS.Timeout

  constructor(nc: NatsConnection, options: PublisherOptions) {
    this.nc = nc
    this.options = options
    nc.subscribe(`${this.inbox}.*`, { callback: (error, msg) => { if (error === null) this.answer(msg) } })
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS)
    this.sweeper.unref()
  }

  /**
   * `now`: handed to nats.js at once (with whatever this turn queued before it, in order), whose write to the socket
   * then runs in the microtask it queues: before anything the caller queues after this call.
   */
  publish(subject: string, body: Uint8Array, headers: MsgHdrs, now = false): Promise<PubAnswer> {
    return new Promise((resolve, reject) => {
      const token = (this.counter++).toString(36)
      this.pending.set(token, { subject, body, headers, resolve, reject, deadline: performance.now() + this.options.timeoutMs, attempts: 1 })
      if (!now) return this.send(token)
      this.queued.push(token)
      this.flush()
    })
  }

  private send(token: string): void {
    this.queued.push(token)
    if (this.queued.length === 1) setImmediate(this.flush)
  }

  /** One synchronous burst of publishes: nats.js writes them to the socket together. */
  private readonly flush = () => {
    const tokens = this.queued
    this.queued = []
    for (const token of tokens) {
      const entry = this.pending.get(token)
      if (entry === undefined) continue
      try {
        this.nc.publish(entry.subject, entry.body, { reply: `${this.inbox}.${token}`, headers: entry.headers })
      } catch (error) {
        this.pending.delete(token)
        entry.reject(error instanceof Error ? error : new Error(String(error)))
      }
    }
  }

  private answer(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1)
    const entry = this.pending.get(token)
    if (entry === undefined) return
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      // No responder: the stream's leader is not there (yet). The same message id makes a resend safe.
      if (entry.attempts >= this.options.attempts) {
        this.pending.delete(token)
        entry.reject(new Error(`no JetStream responder for ${entry.subject} after ${entry.attempts} attempts`))
        return
      }
      entry.attempts++
      entry.deadline = performance.now() + this.options.timeoutMs
      setTimeout(() => this.send(token), this.options.retryDelayMs ?? 250).unref()
      return
    }
    this.pending.delete(token)
    try {
      const ack = msg.json<{ stream?: string; seq?: number; duplicate?: boolean; error?: { code?: number; err_code?: number; description?: string } }>()
      if (ack.error !== undefined) {
        entry.resolve({ ok: false, code: ack.error.code ?? 0, errCode: ack.error.err_code ?? 0, description: ack.error.description ?? "" })
      } else if (typeof ack.seq === "number" && typeof ack.stream === "string") {
        entry.resolve({ ok: true, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true })
      } else {
        entry.reject(new Error(`not a publish ack: ${msg.string().slice(0, 200)}`))
      }
    } catch (error) {
      entry.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  private sweep(): void {
    const now = performance.now()
    for (const [token, entry] of this.pending) {
      if (entry.deadline > now) continue
      this.pending.delete(token)
      entry.reject(new Error(`no ack for the append to ${entry.subject} within ${this.options.timeoutMs} ms`))
    }
  }
}
