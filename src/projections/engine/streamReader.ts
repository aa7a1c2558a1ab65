// Reads a stream's stored messages in order, from a sequence to its current end, in batches: for a rebuild's
// replay and for a live projector filling a gap. An ordered consumer: ephemeral, no acks, recreated on a hiccup.
import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"

export interface ReadOptions {
  /** Stop after the first message at or above this sequence (default: read to the end as of each delivery). */
  readonly upTo?: number
  /** Largest batch handed out at once. */
  readonly maxBatch?: number
  readonly signal?: AbortSignal
}

/** The stream's last sequence now (0 when it is empty and always was). */
export async function lastSequence(jsm: JetStreamManager, stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.last_seq
}

/**
 * Yields batches of messages with sequence ≥ `fromSeq`, ending when the last one delivered had nothing pending
 * after it (the end of the stream as it was then) or reached `upTo`. A batch is cut when nothing more is buffered,
 * so a reader keeps up with a slow consumer by taking larger batches.
 */
export async function* readStream(js: JetStreamClient, jsm: JetStreamManager, stream: string, fromSeq: number,
  { upTo = Number.POSITIVE_INFINITY, maxBatch = 1_000, signal }: ReadOptions = {},
): AsyncGenerator<ReadonlyArray<JsMsg>> {
  const { state } = await jsm.streams.info(stream)
  // Nothing stored at or after fromSeq (an empty stream, or its tail aged out): an ordered consumer would just wait.
  if (state.messages === 0 || state.last_seq < Math.max(fromSeq, state.first_seq)) return
  const consumer = await js.consumers.get(stream, fromSeq <= 1
    ? { deliver_policy: DeliverPolicy.All }
    : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq })
  const messages = await consumer.consume({ max_messages: Math.max(maxBatch, 256) })
  const stop = () => void messages.close()
  signal?.addEventListener("abort", stop, { once: true })
  try {
    let batch: Array<JsMsg> = []
    for await (const msg of messages) {
      batch.push(msg)
      const end = msg.info.pending === 0 || msg.seq >= upTo
      if (end || batch.length >= maxBatch || messages.getPending() === 0) {
        yield batch
        batch = []
      }
      if (end) return
    }
    if (batch.length > 0) yield batch
  } finally {
    signal?.removeEventListener("abort", stop)
    await messages.close()
  }
}
