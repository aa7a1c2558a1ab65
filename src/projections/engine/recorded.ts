// A stored message (one commit: 1..n events) as the recorded events a projection applies: made storable first
// (storable.ts), then decoded by the event store's own codec, so that both sides read the log the same way.
import type { JsMsg } from "@nats-io/jetstream"
import { CorruptEvent, decodeParsed, decodeStored } from "../../commands/index.ts"
import type { StreamKey } from "../../platform/index.ts"
import type { RecordedEvent } from "./projection.ts"
import { parsedIfStorable, storableCommit } from "./storable.ts"

/** What a projection needs of a stored message, whether a consumer delivered it or a direct get read it. */
export type StoredMessage = Pick<JsMsg, "data" | "seq" | "subject" | "time">

interface Position {
  readonly seq: number
  readonly subject: string
}

/** One message, decoded; or why it cannot be (then it is parked, never applied). */
export type DecodedMessage =
  | (Position & { readonly events: ReadonlyArray<RecordedEvent>; readonly failure?: undefined })
  | (Position & { readonly failure: CorruptEvent; readonly types: ReadonlyArray<string> })

const utf8 = new TextDecoder()

export function decodeMessage(msg: StoredMessage, stream: StreamKey): DecodedMessage {
  const raw = utf8.decode(msg.data)
  const at = { seq: msg.seq, subject: msg.subject }
  // Most messages need no mapping: parsed once, decoded as they are. A refusal is left to the path below, so that
  // a corrupt message is described exactly as the text decoder describes it.
  const parsed = parsedIfStorable(raw)
  if (parsed !== undefined) {
    try {
      return { ...at, events: decodeParsed(parsed, { stream, ...at }).recorded as ReadonlyArray<RecordedEvent> }
    } catch (error) {
      if (!(error instanceof CorruptEvent)) throw error
    }
  }
  const { text, clamped } = storableCommit(raw, () => msg.time.toISOString())
  try {
    const recorded = decodeStored(text, { stream, ...at }).recorded as ReadonlyArray<RecordedEvent>
    const events = clamped !== "all" && clamped.size === 0
      ? recorded
      : recorded.map((event, index) => (clamped === "all" || clamped.has(index) ? { ...event, timeClamped: true as const } : event))
    return { ...at, events }
  } catch (error) {
    if (error instanceof CorruptEvent) return { ...at, failure: error, types: typesIn(raw) }
    throw error
  }
}

/** Throws the store's CorruptEvent for a body that isn't a valid commit (tests and tools that want it loud). */
export function recordedEvents(msg: StoredMessage, stream: StreamKey): ReadonlyArray<RecordedEvent> {
  const decoded = decodeMessage(msg, stream)
  if (decoded.failure !== undefined) throw decoded.failure
  return decoded.events
}

/** The event types an undecodable commit names, when it names any: for the parked row. */
function typesIn(raw: string): ReadonlyArray<string> {
  try {
    const events: unknown = (JSON.parse(raw) as { events?: unknown }).events
    return Array.isArray(events) ? events.flatMap((e: { type?: unknown }) => (typeof e?.type === "string" ? [e.type] : [])) : []
  } catch {
    return []
  }
}
