// One client's subscription to one topic. Live from the moment it is registered with its stream's feed; with a
// `from_seq` it first replays what came after that sequence (its own ordered consumer, up to the stream's end as
// of the registration) while live messages wait in a bounded buffer, then drains the buffer: messages already sent
// (seq ≤ last sent) are skipped, so the client sees every message once, in stream order.
import type { EventStoreShape } from "../../commands/index.ts"
import type { Naming } from "../../platform/index.ts"
import type { FeedSubscriber } from "./feed.ts"
import { LiveCommit } from "./liveCommit.ts"
import { liveMetrics } from "./metrics.ts"
import type { KioskOwners } from "./owners.ts"
import { allows, type Needs, needsOf, prepare, type Viewer } from "./policy.ts"
import type { NotificationRecipients } from "./recipients.ts"
import { replayFilter, type Topic, type TopicKind } from "./topics.ts"

/** What a subscription needs of its connection. */
export interface Outlet {
  readonly viewer: Viewer
  /** Queues frames for the socket; false when the connection is (now) closed, e.g. cut off for overflowing. */
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

export class Subscription implements FeedSubscriber {
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
