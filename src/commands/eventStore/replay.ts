// Reads a stream (or one subject of it) in order with an ordered consumer: the client-side cursor recreates the
// ephemeral consumer on any gap, so nothing is skipped or repeated, and nothing needs acks.
import { DeliverPolicy, type JetStreamClient } from "@nats-io/jetstream"
import type { StreamKey } from "../../platform/index.ts"
import { decodeStored, type StoredCommit } from "./codec.ts"

export interface ReadRange {
  readonly stream: StreamKey
  /** The JetStream stream name (namespaced). */
  readonly streamName: string
  /** Only this subject (a single subject or one wildcard filter: nats-server 2.9 takes one filter). */
  readonly subject?: string | undefined
  /** First stream sequence to deliver (inclusive); default 1. */
  readonly fromSeq?: number | undefined
  /** Stop after this stream sequence; undefined follows the stream live until the caller stops iterating. */
  readonly untilSeq?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** Called once per message read, before decoding: the store's read counter. */
  readonly onRead?: (() => void) | undefined
}

/** Batch size of each pull; bounded reads ask for no more than they can use. */
const PULL_BATCH = 256

export async function* readCommits(js: JetStreamClient, range: ReadRange): AsyncGenerator<StoredCommit> {
  const fromSeq = Math.max(1, range.fromSeq ?? 1)
  const until = range.untilSeq
  if (until !== undefined && until < fromSeq) return
  const consumer = await js.consumers.get(range.streamName, {
    // On 2.9 the filter must be a string: an array becomes `filter_subjects`, which needs 2.10.
    ...(range.subject === undefined ? {} : { filter_subjects: range.subject }),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: fromSeq,
    // A reader that vanishes without cleaning up leaves no consumer behind for long.
    inactive_threshold: 30_000,
  })
  // A bounded read with nothing to deliver would otherwise wait forever for a first message.
  if (until !== undefined && (await consumer.info(true)).num_pending === 0) {
    void consumer.delete().catch(() => undefined)
    return
  }
  const batch = until === undefined ? PULL_BATCH : Math.min(PULL_BATCH, until - fromSeq + 1)
  const messages = await consumer.consume({ max_messages: batch })
  const stop = () => void messages.stop()
  range.signal?.addEventListener("abort", stop, { once: true })
  try {
    if (range.signal?.aborted) return
    for await (const m of messages) {
      if (until !== undefined && m.seq > until) return
      range.onRead?.()
      yield decodeStored(m.data, { stream: range.stream, subject: m.subject, seq: m.seq })
      // `pending` is what the consumer still has to deliver: 0 means the filtered range is exhausted.
      if (until !== undefined && (m.seq >= until || m.info.pending === 0)) return
    }
  } finally {
    range.signal?.removeEventListener("abort", stop)
    await messages.close()
    // Not awaited: the reader has what it needs; the server would drop the idle consumer anyway.
    void consumer.delete().catch(() => undefined)
  }
}
