// The /ws wire protocol: every message both ways as a Schema, how frames are read and written, and the close codes.
// One description for the edge, docs/websocket.md and the console's ui/src/live/socket.ts to be checked against.
import { Result, Schema } from "effect"
import type { RawData } from "ws"

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
  /** The edge failed handling a frame: reconnect and resume. */
  internalError: 1011,
  /** The edge cannot follow users' rights just now (NATS unreachable): reconnect with back-off. */
  tryAgainLater: 1013,
} as const
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** The `code` of an error frame. */
export const ErrorCode = Schema.Literals([
  "unauthorized",
  "forbidden",
  "bad_request",
  "invalid_topic",
  "too_many_subscriptions",
  "not_subscribed",
  "unavailable",
  "slow_consumer",
  "too_many_connections",
])
export type ErrorCode = typeof ErrorCode.Type

/** The close that follows an error frame when that error ends the connection (not only a subscription). */
export const CLOSE_AFTER = {
  unauthorized: CLOSE.unauthenticated,
  bad_request: CLOSE.badMessage,
  forbidden: CLOSE.forbidden,
  too_many_connections: CLOSE.tooManyConnections,
  unavailable: CLOSE.tryAgainLater,
} as const satisfies Partial<Record<ErrorCode, CloseCode>>
export type ClosingErrorCode = keyof typeof CLOSE_AFTER

// ---- client → edge ----

const Token = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(8_192))
const TopicName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100))
const Seq = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

export const AuthMessage = Schema.Struct({ type: Schema.Literal("auth"), token: Token })
export const SubscribeMessage = Schema.Struct({
  type: Schema.Literal("subscribe"),
  topic: TopicName,
  /** The last stream sequence the client saw on this topic: every event after it is replayed, then live ones follow. */
  from_seq: Schema.optionalKey(Seq),
})
export const UnsubscribeMessage = Schema.Struct({ type: Schema.Literal("unsubscribe"), topic: TopicName })

export const ClientMessage = Schema.Union([AuthMessage, SubscribeMessage, UnsubscribeMessage])
export type ClientMessage = typeof ClientMessage.Type

const decodeClientMessage = Schema.decodeUnknownResult(Schema.fromJsonString(ClientMessage))

export type ParsedClientMessage = { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly reason: string }

/** A client frame, or why it was refused (one line, safe to send back). */
export function parseClientMessage(raw: string): ParsedClientMessage {
  const decoded = decodeClientMessage(raw)
  if (Result.isSuccess(decoded)) return { ok: true, message: decoded.success }
  return { ok: false, reason: firstLine(decoded.failure.message) }
}

/** A frame as the socket hands it over: only JSON text is spoken here. */
export function readClientMessage(data: RawData, isBinary: boolean): ParsedClientMessage {
  if (isBinary) return { ok: false, reason: "frames must be JSON text" }
  return parseClientMessage(rawText(data))
}

const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 200)

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8")
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8")
  return data.toString("utf8")
}

// ---- edge → client ----

const Timestamp = Schema.String

export const LiveUser = Schema.Struct({ id: Schema.String, role: Schema.String })
export type LiveUser = typeof LiveUser.Type

/** An event as it leaves the edge: its data without the fields that never do (liveCommit.ts). */
export const PublicEvent = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  version: Schema.Int,
  data: Schema.Record(Schema.String, Schema.Unknown),
  time: Timestamp,
})
export type PublicEvent = typeof PublicEvent.Type

// Field order is the order on the wire.
export const ReadyMessage = Schema.Struct({ type: Schema.Literal("ready"), user: LiveUser, expires_at: Timestamp })
/** The answer to a fresh `auth` frame on an open session: the session now ends at the new expiry. */
export const RenewedMessage = Schema.Struct({ type: Schema.Literal("renewed"), expires_at: Timestamp })
export const SubscribedMessage = Schema.Struct({ type: Schema.Literal("subscribed"), topic: Schema.String, from_seq: Schema.optionalKey(Seq) })
export const UnsubscribedMessage = Schema.Struct({ type: Schema.Literal("unsubscribed"), topic: Schema.String, reason: Schema.optionalKey(ErrorCode) })
/** Without a topic it concerns the connection, and a close follows; with one, only that subscription. */
export const ErrorMessage = Schema.Struct({ type: Schema.Literal("error"), code: ErrorCode, message: Schema.String, topic: Schema.optionalKey(Schema.String) })
/**
 * One event of a stream message; the events of one message share its `seq`. Built as bytes by liveCommit.ts
 * (serialised once per topic for every receiver), not through `encodeServerMessage`.
 */
export const EventMessage = Schema.Struct({ type: Schema.Literal("event"), topic: Schema.String, seq: Seq, event: PublicEvent })

export const ServerMessage = Schema.Union([ReadyMessage, RenewedMessage, SubscribedMessage, UnsubscribedMessage, ErrorMessage, EventMessage])
export type ServerMessage = typeof ServerMessage.Type

/** A server message as the JSON text frame sent. */
export const encodeServerMessage: (message: ServerMessage) => string = Schema.encodeSync(Schema.fromJsonString(ServerMessage))

/** The control messages the edge sends, so that each has one shape. */
export const frames = {
  ready: (user: LiveUser, expiresAt: Date): ServerMessage => ({ type: "ready", user, expires_at: expiresAt.toISOString() }),
  renewed: (expiresAt: Date): ServerMessage => ({ type: "renewed", expires_at: expiresAt.toISOString() }),
  subscribed: (topic: string, fromSeq: number | undefined): ServerMessage =>
    ({ type: "subscribed", topic, ...(fromSeq === undefined ? {} : { from_seq: fromSeq }) }),
  unsubscribed: (topic: string, reason?: ErrorCode): ServerMessage =>
    ({ type: "unsubscribed", topic, ...(reason === undefined ? {} : { reason }) }),
  error: (code: ErrorCode, message: string, topic?: string): ServerMessage =>
    ({ type: "error", code, message, ...(topic === undefined ? {} : { topic }) }),
}
