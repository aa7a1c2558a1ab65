// The /ws protocol: JSON text frames. Client messages are described once as Schemas (validation and types);
// server frames are built by the small functions below so that every frame has one shape.
import { Result, Schema } from "effect"

/** Close codes the edge uses (4xxx mirror the HTTP statuses a client already knows). */
export const CLOSE = {
  normal: 1000,
  /** The edge is shutting down: reconnect (to another edge) and resume. */
  goingAway: 1001,
  /** A frame that is not JSON, not an object we know, or too large. */
  badMessage: 4400,
  /** No valid `auth` frame in time, an invalid token, or the token expired during the session. */
  unauthenticated: 4401,
  /** Authenticated, but this kind of caller may not use /ws. */
  forbidden: 4403,
  /** The client did not read fast enough: its outgoing buffer overflowed. Reconnect and resume from the last seq. */
  slowConsumer: 4408,
  /** This user has too many open connections to this edge. */
  tooManyConnections: 4429,
  /** The edge cannot follow users' rights just now (NATS unreachable): reconnect with back-off. */
  tryAgainLater: 1013,
} as const
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** The `code` of an error frame. */
export type ErrorCode =
  | "unauthorized"
  | "forbidden"
  | "bad_request"
  | "invalid_topic"
  | "too_many_subscriptions"
  | "not_subscribed"
  | "unavailable"
  | "slow_consumer"
  | "too_many_connections"

const Token = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(8_192))
const TopicName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100))

export const AuthMessage = Schema.Struct({ type: Schema.Literal("auth"), token: Token })
export const SubscribeMessage = Schema.Struct({
  type: Schema.Literal("subscribe"),
  topic: TopicName,
  /** The last stream sequence the client saw on this topic: every event after it is replayed, then live ones follow. */
  from_seq: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
})
export const UnsubscribeMessage = Schema.Struct({ type: Schema.Literal("unsubscribe"), topic: TopicName })

export const ClientMessage = Schema.Union([AuthMessage, SubscribeMessage, UnsubscribeMessage])
export type ClientMessage = typeof ClientMessage.Type

const decodeClientMessage = Schema.decodeUnknownResult(Schema.fromJsonString(ClientMessage))

/** A client frame, or why it was refused (one line, safe to send back). */
export function parseClientMessage(raw: string): { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly reason: string } {
  const decoded = decodeClientMessage(raw)
  if (Result.isSuccess(decoded)) return { ok: true, message: decoded.success }
  return { ok: false, reason: firstLine(decoded.failure.message) }
}

const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 200)

export interface LiveUser {
  readonly id: string
  readonly role: string
}

export const frames = {
  ready: (user: LiveUser, expiresAt: Date) => ({ type: "ready", user, expires_at: expiresAt.toISOString() }),
  /** The answer to a fresh `auth` frame on an open session: the session now ends at the new expiry. */
  renewed: (expiresAt: Date) => ({ type: "renewed", expires_at: expiresAt.toISOString() }),
  subscribed: (topic: string, fromSeq: number | undefined) => ({ type: "subscribed", topic, ...(fromSeq === undefined ? {} : { from_seq: fromSeq }) }),
  unsubscribed: (topic: string, reason?: ErrorCode) => ({ type: "unsubscribed", topic, ...(reason === undefined ? {} : { reason }) }),
  error: (code: ErrorCode, message: string, topic?: string) => ({ type: "error", code, message, ...(topic === undefined ? {} : { topic }) }),
}
