// One /ws client's life: opened, authenticated by its first frame, renewed, ended (by the client, a timer or lost rights).
// Its messages are protocol.ts, its token rules session.ts, its topics subscriptions.ts, its outgoing bound flowControl.ts.
import type { RawData, WebSocket } from "ws"
import { CLOSE, CLOSE_AFTER, type ClosingErrorCode, encodeServerMessage, frames, readClientMessage, type ServerMessage } from "./protocol.ts"
import type { Viewer } from "./policy.ts"
import type { FastifyBaseLogger } from "fastify"
import { FlowControl } from "./flowControl.ts"
import type { LiveLimits } from "./limits.ts"
import { liveMetrics } from "./metrics.ts"
import { type Outlet, Subscriptions, type SubscriptionsHost } from "./subscriptions.ts"
import type { LiveRights, RightsLoss } from "./rights.ts"
import { type Credential, judgeToken, sessionEnd, type VerifiedToken } from "./session.ts"

/** What a connection asks of the hub that holds it (the hub implements it; this file never imports the hub). */
export interface ConnectionHost extends SubscriptionsHost {
  readonly limits: LiveLimits
  readonly log: FastifyBaseLogger
  readonly verifyAccessToken: (token: string) => Promise<VerifiedToken>
  readonly rights: LiveRights
  connectionsOf(userId: string): number
  authenticated(connection: Connection): void
  uncorkSoon(connection: Connection): void
  forget(connection: Connection): void
}

// setTimeout takes at most a signed 32-bit delay; a later expiry re-arms the timer.
const MAX_TIMER_MS = 2 ** 31 - 1

export class Connection implements Outlet {
  private readonly socket: WebSocket
  private readonly hub: ConnectionHost
  private user: Viewer | undefined
  /** The session and access epoch of the token the user proved last (see `lose`). */
  private credential: Credential = {}
  private readonly subscriptions: Subscriptions
  private readonly out: FlowControl
  private authTimer: NodeJS.Timeout | undefined
  private expiryTimer: NodeJS.Timeout | undefined
  private graceTimer: NodeJS.Timeout | undefined
  private closed = false
  /** Cleared by each ping, set by the pong: still false at the next ping means the peer is gone. */
  alive = true
  private messages: Promise<void> = Promise.resolve()

  constructor(socket: WebSocket, hub: ConnectionHost) {
    this.socket = socket
    this.hub = hub
    this.out = new FlowControl(socket, { limits: hub.limits, uncorkSoon: () => hub.uncorkSoon(this), overflow: (detail) => this.overflow(detail) })
    this.subscriptions = new Subscriptions(this, hub)
  }

  get viewer(): Viewer {
    if (this.user === undefined) throw new Error("not authenticated")
    return this.user
  }

  get userId(): string | undefined {
    return this.user?.userId
  }

  open(): void {
    liveMetrics.connections.inc()
    this.authTimer = setTimeout(() => this.refuse("unauthorized", "send an auth frame first", "auth_timeout"), this.hub.limits.authTimeoutMs)
    this.socket.on("message", (data, isBinary) => {
      // One message at a time, in order; a long replay runs on its own and does not hold the queue.
      this.messages = this.messages.then(() => this.onMessage(data, isBinary)).catch((error: unknown) => {
        this.hub.log.error({ err: error }, "live connection failed handling a message")
        this.end(CLOSE.internalError, "internal error", "internal_error")
      })
    })
    this.socket.on("pong", () => { this.alive = true })
    this.socket.on("close", () => this.cleanup("client"))
  }

  // ---- Outlet: what subscriptions use ----

  sendFrames(list: ReadonlyArray<Buffer>): boolean {
    for (const frame of list) if (!this.push(frame)) return false
    return true
  }

  drained(): Promise<void> {
    return this.closed ? Promise.resolve() : this.out.drained()
  }

  overflow(detail: string): void {
    if (this.closed) return
    liveMetrics.slowConsumers.inc()
    this.hub.log.info({ userId: this.userId, detail }, "slow /ws client cut off")
    this.end(CLOSE.slowConsumer, "slow consumer: outgoing buffer overflowed", "slow_consumer")
  }

  /** Server-side ping; a peer that did not answer the previous one is dropped. */
  ping(): void {
    if (this.closed) return
    if (!this.alive) {
      this.cleanup("ping_timeout")
      this.socket.terminate()
      return
    }
    this.alive = false
    this.socket.ping()
  }

  /** Closes with a code the client can act on; a peer that doesn't read its close frame is dropped after a grace. */
  end(code: number, reason: string, label: string): void {
    if (this.closed) return
    this.cleanup(label)
    // A close reason may be at most 123 bytes.
    this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString())
    this.graceTimer = setTimeout(() => this.socket.terminate(), this.hub.limits.closeGraceMs)
    this.graceTimer.unref()
  }

  // ---- what the client says ----

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.closed) return
    const read = readClientMessage(data, isBinary)
    if (!read.ok) return this.refuse("bad_request", read.reason, "bad_message")
    const message = read.message
    if (message.type === "auth") return this.authenticate(message.token)
    if (this.user === undefined) return this.refuse("unauthorized", "send an auth frame first", "unauthenticated")
    if (message.type === "subscribe") return this.subscriptions.subscribe(message.topic, message.from_seq)
    return this.subscriptions.unsubscribe(message.topic)
  }

  private async authenticate(token: string): Promise<void> {
    try {
      await this.hub.rights.following()
    } catch (error) {
      this.hub.log.warn({ err: error }, "live rights cannot be followed now")
      return this.refuse("unavailable", "the edge cannot check rights just now; try again", "unavailable")
    }
    // Losses that arrive while the token is being checked are applied once it is known (below).
    const mark = this.hub.rights.mark()
    let verified: VerifiedToken
    try {
      verified = await this.hub.verifyAccessToken(token)
    } catch {
      return this.refuse("unauthorized", "the access token is invalid or expired", "unauthenticated")
    }
    if (this.closed) return
    const judged = judgeToken(verified, this.user)
    if (!judged.ok) return this.refuse(judged.code, judged.message, judged.code === "forbidden" ? "forbidden" : "unauthenticated")
    const expiresAt = new Date(verified.exp * 1000)
    if (this.user !== undefined) {
      this.credential = { sessionId: verified.sessionId, epoch: verified.epoch }
      this.expireAt(expiresAt)
      this.send(frames.renewed(expiresAt))
      return this.loseSince(mark)
    }
    clearTimeout(this.authTimer)
    if (this.hub.connectionsOf(verified.userId) >= this.hub.limits.maxConnectionsPerUser) {
      return this.refuse("too_many_connections", `at most ${this.hub.limits.maxConnectionsPerUser} connections per user`, "too_many_connections")
    }
    this.user = judged.viewer
    this.credential = { sessionId: verified.sessionId, epoch: verified.epoch }
    this.hub.authenticated(this)
    this.expireAt(expiresAt)
    this.send(frames.ready({ id: verified.userId, role: verified.role }, expiresAt))
    this.loseSince(mark)
  }

  /** Ends this live session (4401) if the loss takes away what it was opened with. */
  lose(loss: RightsLoss): void {
    const user = this.user
    if (user === undefined || this.closed) return
    const ended = sessionEnd(loss, user, this.credential)
    if (ended === undefined) return
    const { message, label } = ended
    this.hub.log.info({ userId: user.userId, loss: loss.kind }, "live session ended: rights lost")
    this.refuse("unauthorized", message, label)
  }

  private loseSince(mark: number): void {
    for (const loss of this.hub.rights.since(mark)) this.lose(loss)
  }

  private expireAt(at: Date): void {
    clearTimeout(this.expiryTimer)
    const delay = at.getTime() - Date.now()
    this.expiryTimer = setTimeout(() => {
      if (at.getTime() > Date.now()) return this.expireAt(at)
      this.refuse("unauthorized", "token expired", "token_expired")
    }, Math.min(Math.max(0, delay), MAX_TIMER_MS))
  }

  /** Ends a subscription because the viewer may no longer see its topic (e.g. the kiosk was reassigned). */
  revoke(name: string, why: string): void {
    this.subscriptions.revoke(name, why)
  }

  subscribedTo(name: string): boolean {
    return this.subscriptions.has(name)
  }

  // ---- sending ----

  send(message: ServerMessage): void {
    this.push(encodeServerMessage(message))
  }

  private push(frame: Buffer | string): boolean {
    return !this.closed && this.out.push(frame)
  }

  /** Lets the frames corked in this turn go out. */
  uncork(): void {
    this.out.uncork()
  }

  /** Tells the client why (an error frame), then closes with the code that error calls for. */
  private refuse(code: ClosingErrorCode, message: string, label: string): void {
    if (this.closed) return
    this.send(frames.error(code, message))
    this.end(CLOSE_AFTER[code], message, label)
  }

  /** Forgets the connection everywhere (once): subscriptions, timers, the hub's tables, the gauge. */
  private cleanup(label: string): void {
    if (this.closed) {
      if (label === "client") clearTimeout(this.graceTimer)
      return
    }
    this.closed = true
    clearTimeout(this.authTimer)
    clearTimeout(this.expiryTimer)
    this.subscriptions.close()
    this.out.wake()
    this.hub.forget(this)
    liveMetrics.connections.dec()
    liveMetrics.disconnects.inc({ reason: label })
  }
}
