// One live reader per stream per edge process: an ordered consumer (via the event store's replay) that starts
// where the stream ended when it was first needed and hands every message to the local subscribers of its topics.
// Never waits for a socket: each subscriber only queues (or is cut off), so one slow client slows nobody else.
// A stream the process already follows for itself (KIOSKS, by its kiosk states) is not read twice: the feed takes
// its messages from that reader instead.
import { Effect } from "effect"
import { CorruptEvent, type EventStoreShape, type StoredCommit } from "../../commands/index.ts"
import type { FastifyBaseLogger } from "fastify"
import { LiveCommit } from "./liveCommit.ts"
import { liveMetrics } from "./metrics.ts"
import type { Needs } from "./policy.ts"
import type { FollowedStream, TopicKind } from "./topics.ts"

/** Whoever receives a stream's messages: a client's subscription to one topic. */
export interface FeedSubscriber {
  readonly topic: string
  readonly kind: TopicKind
  /** What the access checks need to know about a message before it is offered. */
  readonly needs: Needs
  /** Takes the message synchronously: forwards it (returns the frames sent), buffers it, or ignores it. */
  offer(commit: LiveCommit): number
}

export interface FeedOptions {
  readonly stream: FollowedStream
  readonly store: EventStoreShape
  readonly log: FastifyBaseLogger
  /** Runs before a message is offered (lookups the checks need); may be async. */
  readonly prepare: (commit: LiveCommit, subscribers: ReadonlyArray<FeedSubscriber>) => void | Promise<unknown>
  /** Who already reads the stream in this process and hands on each message in order; absent: the feed reads it. */
  readonly source?: CommitSource | undefined
}

export interface CommitSource {
  /** Calls the listener with every message from now on, in stream order; returns how to stop. */
  onCommit(listener: (stored: StoredCommit) => void): () => void
}

const MAX_BACKOFF_MS = 5_000

export class StreamFeed {
  readonly stream: FollowedStream
  /** The last stream sequence this feed has handed on (or where it started). */
  position = 0
  private readonly topics = new Map<string, Set<FeedSubscriber>>()
  private readonly options: FeedOptions
  private readonly stopped = new AbortController()
  private starting: Promise<void> | undefined
  /** From a source: messages handed on and not yet offered, oldest first. */
  private pending: Array<StoredCommit> = []
  private draining = false
  private unfollow: (() => void) | undefined

  constructor(options: FeedOptions) {
    this.options = options
    this.stream = options.stream
  }

  /**
   * Starts following (once). Resolves when the start position is fixed: every message after it will be offered
   * to whoever is subscribed by then, which is what makes a resume gap-free.
   */
  start(): Promise<void> {
    this.starting ??= this.begin().catch((error: unknown) => {
      this.starting = undefined
      throw error
    })
    return this.starting
  }

  add(subscriber: FeedSubscriber): void {
    let set = this.topics.get(subscriber.topic)
    if (set === undefined) this.topics.set(subscriber.topic, (set = new Set()))
    set.add(subscriber)
  }

  remove(subscriber: FeedSubscriber): void {
    const set = this.topics.get(subscriber.topic)
    if (set === undefined) return
    set.delete(subscriber)
    if (set.size === 0) this.topics.delete(subscriber.topic)
  }

  stop(): void {
    this.stopped.abort()
    this.unfollow?.()
  }

  private async begin(): Promise<void> {
    const source = this.options.source
    if (source === undefined) {
      this.position = await Effect.runPromise(this.options.store.lastSequence(this.stream))
      void this.follow()
      return
    }
    // Listening before the end is asked: nothing after it can slip by; what is not after it is dropped.
    const unfollow = source.onCommit((stored) => {
      this.pending.push(stored)
      void this.drain()
    })
    try {
      this.position = await Effect.runPromise(this.options.store.lastSequence(this.stream))
    } catch (error) {
      unfollow()
      this.pending = []
      throw error
    }
    if (this.stopped.signal.aborted) return void unfollow()
    this.unfollow = unfollow
    void this.drain()
  }

  /** Offers what the source handed on, in order; waits only when a check must load something first. */
  private async drain(): Promise<void> {
    if (this.draining || this.unfollow === undefined) return
    this.draining = true
    let failures = 0
    try {
      while (this.pending.length > 0 && !this.stopped.signal.aborted) {
        const stored = this.pending[0]!
        if (stored.seq > this.position) {
          try {
            await this.hand(new LiveCommit(this.stream, stored))
            failures = 0
          } catch (error) {
            failures++
            const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures)
            this.options.log.warn({ err: error, stream: this.stream, position: this.position, retryInMs: delay }, "live feed cannot check a message; retrying")
            await new Promise((resolve) => setTimeout(resolve, delay))
            continue
          }
        }
        this.pending.shift()
      }
    } finally {
      this.draining = false
    }
  }

  /** Prepares the checks for a message, then offers it: the one step of both ways of following. */
  private async hand(commit: LiveCommit): Promise<void> {
    // Again until nothing is missing: a subscriber that joined while we waited is owed this message too.
    for (let preparing = this.options.prepare(commit, this.subscribersOf(commit)); preparing !== undefined;
      preparing = this.options.prepare(commit, this.subscribersOf(commit))) await preparing
    this.position = commit.seq
    liveMetrics.eventAge.observe({ stream: this.stream }, Math.max(0, Date.now() - commit.recordedAt) / 1000)
    this.offer(commit)
  }

  private async follow(): Promise<void> {
    const { store, log, stream } = this.options
    const signal = this.stopped.signal
    let failures = 0
    while (!signal.aborted) {
      try {
        for await (const stored of store.replay(stream, { fromSeq: this.position + 1, signal })) {
          await this.hand(new LiveCommit(stream, stored))
          failures = 0
        }
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof CorruptEvent) {
          // Logged loudly by the store; the live feed must not stall on it forever.
          log.error({ err: error, seq: error.seq }, "live feed skips an undecodable message")
          this.position = Math.max(this.position, error.seq)
          continue
        }
        failures++
        const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures)
        log.warn({ err: error, stream, position: this.position, retryInMs: delay }, "live feed interrupted; resuming after its position")
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  /** Hands the message to every subscriber; the metric is counted once per message, not once per client. */
  private offer(commit: LiveCommit): void {
    for (const topic of commit.topics) {
      const set = this.topics.get(topic)
      if (set === undefined) continue
      let sent = 0
      let kind: TopicKind | undefined
      for (const subscriber of set) {
        kind = subscriber.kind
        sent += Math.max(0, subscriber.offer(commit))
      }
      if (sent > 0 && kind !== undefined) liveMetrics.forwarded.inc({ topic: kind, source: "live" }, sent)
    }
  }

  private subscribersOf(commit: LiveCommit): Array<FeedSubscriber> {
    const out: Array<FeedSubscriber> = []
    for (const topic of commit.topics) {
      const set = this.topics.get(topic)
      if (set !== undefined) for (const subscriber of set) out.push(subscriber)
    }
    return out
  }
}
