// Where a channel without a provider (no SMTP_URL, no Twilio or FCM settings) delivers: a JetStream KV bucket keyed by
// notification id, which the console lists. Creating a key that exists fails, so a repeat cannot write twice.
import type { JetStreamClient } from "@nats-io/jetstream"
import { Kvm, type KV } from "@nats-io/kv"
import { Effect, Schema } from "effect"
import { ensureBucket, type Naming } from "../../../platform/index.ts"
import { Channel } from "../../../commands/index.ts"
import { type ChannelAdapter, type ChannelName, type DeliveryHooks, describeError, failure, type OutgoingMessage } from "./channel.ts"

export const OUTBOX_BUCKET = "outbox"
/** Long enough for someone to look at it; the delivery record in NOTIFICATIONS stays forever. */
const OUTBOX_TTL_MS = 30 * 24 * 3_600_000

export const OutboxEntry = Schema.Struct({
  notificationId: Schema.String,
  channel: Channel,
  address: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  at: Schema.String,
})
export type OutboxEntry = typeof OutboxEntry.Type

/** `replicas` is STREAM_REPLICAS (default 1); several workers may open it at once. */
export async function openOutbox(js: JetStreamClient, names: Naming, replicas = 1): Promise<KV> {
  return ensureBucket(new Kvm(js), names.bucket(OUTBOX_BUCKET), { history: 1, ttl: OUTBOX_TTL_MS, replicas })
}

const KEY_EXISTS = 10071

export function outboxChannel(channel: ChannelName, kv: KV): ChannelAdapter {
  const deliver = (message: OutgoingMessage, hooks: DeliveryHooks) =>
    Effect.tryPromise({
      try: async () => {
        hooks.handingOver(message.notificationId)
        const entry: OutboxEntry = {
          notificationId: message.notificationId,
          channel,
          address: message.address,
          subject: message.subject,
          text: message.text,
          at: new Date().toISOString(),
        }
        await kv.create(message.notificationId, JSON.stringify(entry)).catch((error: unknown) => {
          // Already there: an earlier attempt wrote it and did not live to record that.
          if ((error as { code?: number }).code !== KEY_EXISTS && !/wrong last sequence/i.test(describeError(error))) throw error
        })
        return { provider: "outbox", providerMessageId: `outbox:${message.notificationId}` }
      },
      catch: (error) => failure("retry", `outbox: ${describeError(error)}`),
    })
  return { channel, provider: "outbox", deliver, close: async () => {} }
}

/** Newest first; for the console's outbox page. */
export async function listOutbox(kv: KV, limit = 200): Promise<ReadonlyArray<OutboxEntry>> {
  const decode = Schema.decodeUnknownSync(Schema.fromJsonString(OutboxEntry))
  const entries: Array<OutboxEntry> = []
  for await (const key of await kv.keys()) {
    const entry = await kv.get(key)
    if (entry && entry.operation === "PUT") entries.push(decode(entry.string()))
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit)
}
