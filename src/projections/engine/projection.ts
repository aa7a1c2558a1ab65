// What a read model is to the engine: the stream it follows, the tables it owns, and how one event changes them.
import type { Transaction } from "kysely"
import type { DomainEvent } from "../../commands/catalogue.ts"
import type { Recorded } from "../../commands/shared/envelope.ts"
import type { StreamKey } from "../../platform/naming.ts"
import type { Database, TableName } from "../db.ts"

/** A recorded event whose `type` narrows its `data` (Recorded over each member of the union, not over the union). */
export type RecordedEvent = DomainEvent extends infer E ? (E extends DomainEvent ? Recorded<E> : never) : never

export type RecordedOf<T extends RecordedEvent["type"]> = Extract<RecordedEvent, { type: T }>

export interface Projection {
  /** Names the checkpoint, the durable consumer and the advisory lock: e.g. "payments". */
  readonly name: string
  readonly stream: StreamKey
  /** Every table this projection writes and no other does: a rebuild swaps exactly these. */
  readonly tables: ReadonlyArray<TableName>
  /**
   * Applies events, in stream order, inside the batch's transaction: the result must equal applying them one by
   * one. Handlers are idempotent on their own (applying an event twice changes nothing), a second guard under the
   * checkpoint. During a rebuild the transaction's search_path points at the shadow tables: use unqualified names.
   */
  readonly apply: (trx: Transaction<Database>, events: ReadonlyArray<RecordedEvent>) => Promise<void>
}

/** For low-volume models: one handler per event, awaited in order. */
export const eventByEvent = (handle: (trx: Transaction<Database>, event: RecordedEvent) => Promise<void>): Projection["apply"] =>
  async (trx, events) => {
    for (const event of events) await handle(trx, event)
  }

export const defineProjection = (projection: Projection): Projection => projection
