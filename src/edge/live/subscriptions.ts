// A connection's subscriptions: subscribe, unsubscribe and revoke per topic, and the gap-free replay from `from_seq`.
import type { FastifyBaseLogger } from "fastify"
import type { EventStoreShape } from "../../commands/index.ts"
import type { Naming } from "../../platform/index.ts"
import type { FeedSubscriber, StreamFeed } from "./feed.ts"
import type { LiveLimits } from "./limits.ts"
import { LiveCommit } from "./liveCommit.ts"
import { liveMetrics } from "./metrics.ts"
import type { KioskOwners } from "./owners.ts"
import { allows, type Needs, needsOf, prepare, refusal, type Viewer } from "./policy.ts"
import { frames, type ServerMessage } from "./protocol.ts"
import type { NotificationRecipients } from "./recipients.ts"
import { type LiveStream, parseTopic, replayFilter, type Topic, type TopicKind } from "./topics.ts"

/** What subscriptions need of their connection. */
export interface Outlet {
  readonly viewer: Viewer
  /** Sends a control message (subscribed, unsubscribed, error); ignored once the connection is closed. */
  send(message: ServerMessage): void
  /** Queues event frames for the socket; false when the connection is (now) closed, e.g. cut off for overflowing. */
  sendFrames(frames: ReadonlyArray<Buffer>): boolean
  /** Resolves when the socket has room again (replays pace themselves on it; live fan-out never waits). */
  drained(): Promise<void>
  /** The client fell too far behind: close it as a slow consumer. */
  overflow(detail: string): void
}

export interface SubscriptionDeps {
  readonly store: EventStoreShape
  readonly naming: Naming
  readonly owners: KioskOwners
  readonly recipients: NotificationRecipients
  /** Most live messages held while a replay runs; past it the client is cut off as a slow consumer. */
  readonly maxBuffered: number
}

/** What a connection's subscriptions need of the hub that holds it (the hub implements it). */
export interface SubscriptionsHost {
  readonly limits: Pick<LiveLimits, "maxSubscriptionsPerConnection">
  readonly log: FastifyBaseLogger
  readonly owners: KioskOwners
  readonly subscriptionDeps: SubscriptionDeps
  feed(stream: LiveStream): StreamFeed
}

/** One connection's subscriptions, at most one per topic name; each is checked when asked for, then registered. */
export class Subscriptions {
  private readonly byTopic = new Map<string, Subscription>()
  private readonly outlet: Outlet
  private readonly host: SubscriptionsHost
  /** Set once the connection closed: a subscribe still being checked then adds nothing. */
  private closed = false

  constructor(outlet: Outlet, host: SubscriptionsHost) {
    this.outlet = outlet
    this.host = host
  }

  has(name: string): boolean {
    return this.byTopic.has(name)
  }

  async subscribe(name: string, fromSeq: number | undefined): Promise<void> {
    const topic = parseTopic(name)
    if (topic === undefined) {
      return this.outlet.send(frames.error("invalid_topic", "topics: payments, kiosks, notifications, kiosk:<kioskId>", name))
    }
    const max = this.host.limits.maxSubscriptionsPerConnection
    if (!this.byTopic.has(name) && this.byTopic.size >= max) {
      return this.outlet.send(frames.error("too_many_subscriptions", `at most ${max} subscriptions per connection`, name))
    }
    const feed = this.host.feed(topic.stream)
    try {
      const refused = await refusal(this.outlet.viewer, topic, this.host.owners)
      if (refused !== undefined) return this.outlet.send(frames.error("forbidden", refused, name))
      await feed.start()
    } catch (error) {
      this.host.log.warn({ err: error, topic: name }, "cannot subscribe now")
      return this.outlet.send(frames.error("unavailable", "the event store cannot be reached; try again", name))
    }
    if (this.closed) return
    // Subscribing again replaces the earlier subscription (e.g. to resume from another sequence).
    this.drop(name)
    const subscription = new Subscription(topic, this.outlet, this.host.subscriptionDeps, fromSeq)
    this.byTopic.set(name, subscription)
    feed.add(subscription)
    liveMetrics.subscriptions.inc({ topic: topic.kind })
    this.outlet.send(frames.subscribed(name, fromSeq))
    if (fromSeq !== undefined) void this.replay(subscription)
  }

  unsubscribe(name: string): void {
    if (!this.drop(name)) return this.outlet.send(frames.error("not_subscribed", "not subscribed to this topic", name))
    this.outlet.send(frames.unsubscribed(name))
  }

  /** Ends a subscription because the viewer may no longer see its topic (e.g. the kiosk was reassigned). */
  revoke(name: string, why: string): void {
    if (!this.drop(name)) return
    this.outlet.send(frames.error("forbidden", why, name))
    this.outlet.send(frames.unsubscribed(name, "forbidden"))
  }

  /** The connection is gone: every subscription ends, and none is added after. */
  close(): void {
    this.closed = true
    for (const name of [...this.byTopic.keys()]) this.drop(name)
  }

  private async replay(subscription: Subscription): Promise<void> {
    try {
      await subscription.replay()
    } catch (error) {
      if (!subscription.active || this.closed) return
      this.host.log.warn({ err: error, topic: subscription.topic }, "replay failed")
      this.drop(subscription.topic)
      this.outlet.send(frames.error("unavailable", "the replay was interrupted; subscribe again from your last seq", subscription.topic))
      this.outlet.send(frames.unsubscribed(subscription.topic, "unavailable"))
    }
  }

  private drop(name: string): boolean {
    const subscription = this.byTopic.get(name)
    if (subscription === undefined) return false
    subscription.cancel()
    this.byTopic.delete(name)
    const topic = parseTopic(name)!
    this.host.feed(topic.stream).remove(subscription)
    liveMetrics.subscriptions.dec({ topic: topic.kind })
    return true
  }
}

/**
 * One client's subscription to one topic. Live from the moment it is registered with its stream's feed; with a
 * `from_seq` it first replays what came after that sequence (its own ordered consumer, up to the stream's end as
 * of the registration) while live messages wait in a bounded buffer, then drains the buffer: messages already sent
 * (seq ≤ last sent) are skipped, so the client sees every message once, in stream order.
 */
class Subscription implements FeedSubscriber {
  readonly topic: string
  readonly kind: TopicKind
  readonly needs: Needs
  private readonly spec: Topic
  private readonly outlet: Outlet
  private readonly deps: SubscriptionDeps
  /** The last stream sequence forwarded (or skipped as not allowed); nothing at or below it is sent again. */
  private lastSent: number
  private replaying: boolean
  private buffer: Array<LiveCommit> = []
  private readonly cancelled = new AbortController()

  constructor(spec: Topic, outlet: Outlet, deps: SubscriptionDeps, fromSeq: number | undefined) {
    this.spec = spec
    this.topic = spec.name
    this.kind = spec.kind
    this.outlet = outlet
    this.deps = deps
    this.needs = needsOf(outlet.viewer, spec.kind)
    this.lastSent = fromSeq ?? 0
    this.replaying = fromSeq !== undefined
  }

  get active(): boolean {
    return !this.cancelled.signal.aborted
  }

  offer(commit: LiveCommit): number {
    if (!this.active) return 0
    if (!this.replaying) return this.forward(commit)
    if (commit.seq <= this.lastSent) return 0
    this.buffer.push(commit)
    if (this.buffer.length > this.deps.maxBuffered) {
      this.outlet.overflow(`more than ${this.deps.maxBuffered} live events arrived while ${this.topic} was replaying`)
    }
    return 0
  }

  cancel(): void {
    this.cancelled.abort()
    this.buffer = []
  }

  /**
   * Replays the stream after `lastSent` up to its end as of now, then the buffered live messages, then goes live.
   * Must be called after the subscription was added to its feed (that is what closes the gap).
   */
  async replay(): Promise<void> {
    const { store, naming } = this.deps
    const signal = this.cancelled.signal
    const reading = store.replay(this.spec.stream, {
      fromSeq: this.lastSent + 1,
      subject: replayFilter(this.spec, naming),
      untilEnd: true,
      signal,
    })
    for await (const stored of reading) {
      if (!this.active) return
      const commit = new LiveCommit(this.spec.stream, stored)
      await this.ready(commit)
      const sent = this.forward(commit)
      if (sent < 0) return
      liveMetrics.forwarded.inc({ topic: this.spec.kind, source: "replay" }, sent)
      await this.outlet.drained()
    }
    // Buffered messages are checked as they are sent; new ones keep arriving in the buffer until it is empty.
    while (this.active && this.buffer.length > 0) {
      const batch = this.buffer
      this.buffer = []
      for (const commit of batch) {
        if (commit.seq <= this.lastSent) continue
        await this.ready(commit)
        const sent = this.forward(commit)
        if (sent < 0) return
        liveMetrics.forwarded.inc({ topic: this.spec.kind, source: "live" }, sent)
      }
    }
    this.replaying = false
  }

  private async ready(commit: LiveCommit): Promise<void> {
    for (let p = prepare(commit, this.needs, this.deps.owners, this.deps.recipients); p !== undefined;
      p = prepare(commit, this.needs, this.deps.owners, this.deps.recipients)) await p
  }

  /** Sends the message if it is new to this client and allowed now: frames sent, or -1 when the connection is gone. */
  private forward(commit: LiveCommit): number {
    if (commit.seq <= this.lastSent) return 0
    this.lastSent = commit.seq
    if (!allows(this.outlet.viewer, this.spec.kind, commit, this.deps.owners)) return 0
    const frames = commit.framesFor(this.topic)
    return this.outlet.sendFrames(frames) ? frames.length : -1
  }
}
