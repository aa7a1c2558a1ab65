// One adapter per delivery channel (SMTP, Twilio, FCM, the outbox), so the delivery worker never knows a provider.
import { type Effect, Schema } from "effect"
import type { Channel as ChannelName } from "../../../commands/index.ts"

export type { ChannelName }

/** A notification rendered for its channel: subject/title, plain text, optional HTML (email only). */
export interface OutgoingMessage {
  readonly notificationId: string
  readonly channel: ChannelName
  /** Email address, E.164 phone number or FCM registration token. */
  readonly address: string
  readonly subject: string
  readonly text: string
  readonly html?: string | undefined
}

export interface Delivered {
  /** Who took it: "smtp", "twilio", "fcm" or "outbox". */
  readonly provider: string
  /** The provider's id for the message (Message-ID, Twilio SID, FCM message name, outbox key). */
  readonly providerMessageId: string
}

/**
 * `handingOver` is called once, synchronously, at the last moment before the provider could accept the message:
 * the delivery worker records there (its write leaves in this same turn of the event loop) that from now on the
 * provider may have it. The adapter then lets the provider have it without waiting for anything else, so a crash
 * cannot fall between the two. If it throws (the claim can no longer be trusted), nothing is sent.
 */
export interface DeliveryHooks {
  readonly handingOver: (providerKey: string) => void
}

/**
 * Why a delivery did not end in "sent":
 * - `retry`: the provider did not take the message and may take it later (SMTP 4xx, HTTP 429/5xx, connection refused);
 * - `give-up`: it never will (SMTP 5xx, HTTP 4xx, a bad address or token);
 * - `unknown`: the provider may have taken it (the connection broke after the whole message was handed over).
 */
export const FailureOutcome = Schema.Literals(["retry", "give-up", "unknown"])
export type FailureOutcome = typeof FailureOutcome.Type

export class DeliveryFailure extends Schema.TaggedError<DeliveryFailure>()("DeliveryFailure", {
  message: Schema.String,
  outcome: FailureOutcome,
  /** The push token is no longer registered (FCM UNREGISTERED / invalid token): remove it from the user. */
  staleAddress: Schema.Boolean,
}) {}

export const failure = (outcome: FailureOutcome, message: string, staleAddress = false) =>
  new DeliveryFailure({ outcome, message, staleAddress })

export interface ChannelAdapter {
  readonly channel: ChannelName
  readonly provider: string
  readonly deliver: (message: OutgoingMessage, hooks: DeliveryHooks) => Effect.Effect<Delivered, DeliveryFailure>
  /** Releases connections and SDK apps. */
  readonly close: () => Promise<void>
}

/** A message for the reason field: never longer than a line or two, never a stack. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.replace(/\s+/g, " ").trim().slice(0, 300)
}
