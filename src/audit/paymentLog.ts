// PAYMENTS as stored, message by message: the bytes, the headers the MAC lives in, the stream sequence and the
// server's receive time. Audit reads this, never the read models. An ordered consumer: ephemeral, no acks, and
// one message buffered per pull batch, so memory stays flat however long the range.
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream"
import { AUDIT_KEY_ID_HEADER, AUDIT_MAC_HEADER } from "../platform/index.ts"

export interface LoggedMessage {
  readonly seq: number
  readonly subject: string
  readonly msgId: string
  readonly keyId: string | undefined
  readonly mac: string | undefined
  readonly data: Uint8Array
  /** When the server stored it. */
  readonly storedAt: Date
}

export interface LogRange {
  /** First sequence (inclusive); default 1. */
  readonly fromSeq?: number | undefined
  /** Or start at the first message the server stored at or after this instant. */
  readonly fromTime?: Date | undefined
  /** Last sequence (inclusive); default the stream's last as of the call. Infinity follows the stream live. */
  readonly toSeq?: number | undefined
  /** Only this subject filter (e.g. one kiosk's `ns.payments.<kioskId>.*`). */
  readonly subject?: string | undefined
  readonly signal?: AbortSignal | undefined
  /** Messages pulled per batch. Default 256. */
  readonly batch?: number | undefined
}

export async function* readLog(js: JetStreamClient, jsm: JetStreamManager, stream: string, range: LogRange = {}): AsyncGenerator<LoggedMessage> {
  const fromSeq = Math.max(1, range.fromSeq ?? 1)
  const follow = range.toSeq === Number.POSITIVE_INFINITY
  const toSeq = range.toSeq ?? (await jsm.streams.info(stream)).state.last_seq
  if (!follow && toSeq < fromSeq) return
  const consumer = await js.consumers.get(stream, {
    ...(range.subject === undefined ? {} : { filter_subjects: range.subject }),
    ...(range.fromTime === undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: range.fromTime.toISOString() }),
    inactive_threshold: 30_000,
  })
  if (!follow && (await consumer.info(true)).num_pending === 0) {
    void consumer.delete().catch(() => undefined)
    return
  }
  const messages = await consumer.consume({ max_messages: Math.max(1, Math.min(range.batch ?? 256, follow ? 256 : toSeq - fromSeq + 1)) })
  const stop = () => void messages.stop()
  range.signal?.addEventListener("abort", stop, { once: true })
  try {
    if (range.signal?.aborted) return
    for await (const m of messages) {
      if (!follow && m.seq > toSeq) return
      yield {
        seq: m.seq,
        subject: m.subject,
        msgId: m.headers?.get("Nats-Msg-Id") ?? "",
        keyId: m.headers?.get(AUDIT_KEY_ID_HEADER) || undefined,
        mac: m.headers?.get(AUDIT_MAC_HEADER) || undefined,
        data: m.data,
        storedAt: m.time,
      }
      if (!follow && (m.seq >= toSeq || m.info.pending === 0)) return
    }
  } finally {
    range.signal?.removeEventListener("abort", stop)
    await messages.close()
    void consumer.delete().catch(() => undefined)
  }
}
