// A JetStream message (one commit: 1..n events) as the recorded events a projection applies, decoded by the
// event store's own codec so that both sides read the log the same way.
import type { JsMsg } from "@nats-io/jetstream"
import { decodeStored } from "../../commands/eventStore/index.ts"
import type { StreamKey } from "../../platform/naming.ts"
import type { RecordedEvent } from "./projection.ts"

/** Throws the store's CorruptEvent for a body that isn't a valid commit: the projector then stops and says so. */
export const recordedEvents = (msg: Pick<JsMsg, "data" | "seq" | "subject">, stream: StreamKey): ReadonlyArray<RecordedEvent> =>
  decodeStored(msg.data, { stream, subject: msg.subject, seq: msg.seq }).recorded as ReadonlyArray<RecordedEvent>
