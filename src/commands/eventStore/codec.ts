// How a decision becomes one JetStream message and how a stored message becomes recorded events again.
import { Result, Schema } from "effect"
import type { StreamKey } from "../../platform/index.ts"
import { CURRENT_VERSION, decodeEvent, DomainEvent, streamOf } from "../catalogue.ts"
import { Commit, type CommandContext, eventIdAt, type Recorded } from "../shared/envelope.ts"
import { CorruptEvent } from "./errors.ts"

export type NewEvent = Pick<DomainEvent, "type" | "data">
export type RecordedEvent = Recorded<DomainEvent>

/** Where a message sits: the stream key (USERS, PAYMENTS…), its subject and its stream sequence. */
export interface Position {
  readonly stream: StreamKey
  readonly subject: string
  readonly seq: number
}

/** One stored message: the commit as written and its events as read back, in order. */
export interface StoredCommit extends Position {
  readonly commit: Commit
  readonly recorded: ReadonlyArray<RecordedEvent>
}

const encodeEvent = Schema.encodeUnknownResult(DomainEvent)
const decodeCommitJson = Schema.decodeUnknownResult(Schema.fromJsonString(Commit))
const decodeCommitValue = Schema.decodeUnknownResult(Commit)

/**
 * Builds the commit body. An event outside the catalogue, or on another stream, is a programming error and
 * must never reach the audit log: it throws (a defect to the caller).
 */
export function makeCommit(stream: StreamKey, events: ReadonlyArray<NewEvent>, commitId: string, context: CommandContext, now = new Date()): Commit {
  const encoded = events.map((event) => {
    const result = encodeEvent(event)
    if (Result.isFailure(result)) throw new Error(`refusing to append an invalid ${event.type}: ${result.failure.message}`)
    if (streamOf(event.type) !== stream) throw new Error(`${event.type} belongs on ${streamOf(event.type)}, not ${stream}`)
    const { type, data } = result.success as NewEvent
    return { type, version: CURRENT_VERSION, data }
  })
  const [first, ...rest] = encoded
  if (first === undefined) throw new Error("a commit needs at least one event")
  return {
    id: commitId,
    time: now.toISOString(),
    actor: context.actor,
    correlationId: context.correlationId,
    ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
    events: [first, ...rest],
  }
}

export function recordedOf(commit: Commit, at: Position): ReadonlyArray<RecordedEvent> {
  return commit.events.map((event, index) => {
    const decoded = decodeEvent({ type: event.type, data: event.data })
    if (Result.isFailure(decoded)) throw new CorruptEvent(at, `${event.type} v${event.version}: ${decoded.failure.message}`)
    return {
      id: eventIdAt(commit.id, index),
      type: decoded.success.type,
      version: event.version,
      data: decoded.success.data,
      time: commit.time,
      actor: commit.actor,
      correlationId: commit.correlationId,
      ...(commit.causationId === undefined ? {} : { causationId: commit.causationId }),
      stream: at.stream,
      subject: at.subject,
      seq: at.seq,
    } as RecordedEvent
  })
}

/** Decodes a message body read from a stream; throws CorruptEvent when it isn't one of our commits. */
export function decodeStored(body: Uint8Array | string, at: Position): StoredCommit {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body)
  const commit = decodeCommitJson(text)
  if (Result.isFailure(commit)) throw new CorruptEvent(at, `not a commit: ${commit.failure.message}`)
  return { ...at, commit: commit.success, recorded: recordedOf(commit.success, at) }
}

/** As decodeStored, for a body its reader has already parsed (JSON.parse of the message text). */
export function decodeParsed(value: unknown, at: Position): StoredCommit {
  const commit = decodeCommitValue(value)
  if (Result.isFailure(commit)) throw new CorruptEvent(at, `not a commit: ${commit.failure.message}`)
  return { ...at, commit: commit.success, recorded: recordedOf(commit.success, at) }
}
