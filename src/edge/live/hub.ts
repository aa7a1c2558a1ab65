// The live feed of one edge process: its connections, one feed per stream shared by all of them, the kiosk owners
// (from the process's kiosk states) and the notification recipients the checks use, and the heartbeat that drops
// dead peers.
// Nothing here is shared with other edge processes: each follows the streams on its own, so any number of edges
// can run side by side with NATS as the only common ground.
import type { WebSocket } from "ws"
import type { EventStoreShape, KioskStatesShape } from "../../commands/index.ts"
import type { FastifyBaseLogger } from "fastify"
import { Connection, type ConnectionHost } from "./connection.ts"
import type { VerifiedToken } from "./session.ts"
import { type FeedSubscriber, StreamFeed } from "./feed.ts"
import type { LiveCommit } from "./liveCommit.ts"
import { CLOSE } from "./protocol.ts"
import { KioskOwners } from "./owners.ts"
import { prepare as prepareFor } from "./policy.ts"
import { NotificationRecipients } from "./recipients.ts"
import { LiveRights, type RevocationSource } from "./rights.ts"
import type { SubscriptionDeps } from "./subscriptions.ts"
import type { LiveLimits } from "./limits.ts"
import { kioskTopic, LIVE_STREAMS, type LiveStream } from "./topics.ts"

export interface HubOptions {
  readonly store: EventStoreShape
  /** The process's kiosk states: its one reader of KIOSKS, for the `kiosks` topic and ownership alike. */
  readonly kioskStates: KioskStatesShape
  readonly verifyAccessToken: (token: string) => Promise<VerifiedToken>
  readonly log: FastifyBaseLogger
  readonly limits: LiveLimits
  readonly revocations?: RevocationSource | undefined
}

export class Hub implements ConnectionHost {
  readonly limits: LiveLimits
  readonly log: FastifyBaseLogger
  readonly verifyAccessToken: (token: string) => Promise<VerifiedToken>
  readonly owners: KioskOwners
  readonly rights: LiveRights
  readonly subscriptionDeps: SubscriptionDeps
  private readonly feeds: Record<LiveStream, StreamFeed>
  private readonly connections = new Set<Connection>()
  private readonly byUser = new Map<string, Set<Connection>>()
  private readonly heartbeat: NodeJS.Timeout
  private corked: Array<Connection> = []
  private readonly unfollowOwners: () => void

  constructor(options: HubOptions) {
    const { store, log } = options
    this.limits = options.limits
    this.log = log
    this.verifyAccessToken = options.verifyAccessToken
    const recipients = new NotificationRecipients({ store })
    const owners = new KioskOwners(options.kioskStates)
    this.owners = owners
    this.subscriptionDeps = { store, naming: store.naming, owners, recipients, maxBuffered: options.limits.maxQueuedMessages }

    // Ownership has moved before anyone sees a KIOSKS message (the kiosk states fold it first, then hand it on), so
    // the event that assigns a kiosk reaches its new operator.
    const prepare = (commit: LiveCommit, subscribers: ReadonlyArray<FeedSubscriber>) => {
      const needs = { owners: subscribers.some((s) => s.needs.owners), recipients: subscribers.some((s) => s.needs.recipients) }
      return prepareFor(commit, needs, owners, recipients)
    }
    this.feeds = Object.fromEntries(LIVE_STREAMS.map((stream) =>
      [stream, new StreamFeed({ stream, store, log, prepare, source: stream === "KIOSKS" ? options.kioskStates : undefined })])) as Record<LiveStream, StreamFeed>

    // An operator loses a kiosk: their subscriptions to it end now (the per-event check already stops its events).
    this.unfollowOwners = owners.onChange((kioskId, operatorId) => {
      const topic = kioskTopic(kioskId)
      for (const connection of this.connections) {
        if (connection.userId === undefined || !connection.subscribedTo(topic)) continue
        const viewer = connection.viewer
        if (viewer.role === "operator" && viewer.userId !== operatorId) connection.revoke(topic, `kiosk ${kioskId} is no longer assigned to you`)
      }
    })

    // A user who lost rights loses their live sessions: each connection of theirs judges whether the loss is its own.
    this.rights = new LiveRights({
      store, log, source: options.revocations,
      apply: (loss) => { for (const connection of [...(this.byUser.get(loss.userId) ?? [])]) connection.lose(loss) },
    })

    this.heartbeat = setInterval(() => { for (const connection of this.connections) connection.ping() }, options.limits.pingIntervalMs)
    this.heartbeat.unref()
  }

  /** Uncorks, once per turn of the event loop, every connection that was written to during it. */
  uncorkSoon(connection: Connection): void {
    this.corked.push(connection)
    if (this.corked.length === 1) setImmediate(this.uncorkAll)
  }

  private readonly uncorkAll = (): void => {
    const corked = this.corked
    this.corked = []
    for (const connection of corked) connection.uncork()
  }

  feed(stream: LiveStream): StreamFeed {
    return this.feeds[stream]
  }

  accept(socket: WebSocket): void {
    const connection = new Connection(socket, this)
    this.connections.add(connection)
    connection.open()
  }

  connectionsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0
  }

  authenticated(connection: Connection): void {
    const userId = connection.viewer.userId
    let set = this.byUser.get(userId)
    if (set === undefined) this.byUser.set(userId, (set = new Set()))
    set.add(connection)
  }

  forget(connection: Connection): void {
    this.connections.delete(connection)
    const userId = connection.userId
    if (userId === undefined) return
    const set = this.byUser.get(userId)
    set?.delete(connection)
    if (set?.size === 0) this.byUser.delete(userId)
  }

  get size(): number {
    return this.connections.size
  }

  /** Shutdown: clients are told to go elsewhere (1001) and will resume there; feeds stop. */
  close(): void {
    clearInterval(this.heartbeat)
    this.unfollowOwners()
    for (const connection of [...this.connections]) connection.end(CLOSE.goingAway, "edge shutting down", "shutdown")
    for (const stream of LIVE_STREAMS) this.feeds[stream].stop()
    this.rights.stop()
  }
}
