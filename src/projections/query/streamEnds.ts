// Where each stream ends, for a process that can ask NATS (the edge provides it). A `min_seq` past the end of its
// stream names an event that does not exist: the query refuses it at once instead of waiting and answering 503.
import { Context, type Effect } from "effect"
import type { StreamKey } from "../../platform/index.ts"

export class StreamEnds extends Context.Service<StreamEnds, {
  /** The stream's last sequence now. */
  readonly lastSeq: (stream: StreamKey) => Effect.Effect<number, unknown>
}>()("admin-kiosk/projections/StreamEnds") {}
