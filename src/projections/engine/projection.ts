// What a read model is to the engine: the stream it follows, the tables it owns, and how one event changes them.
import type { Transaction } from "kysely"
import type {
  AuditEvent, DomainEvent, KioskEvent, NotificationEvent, PaymentEvent, Recorded, TelemetryEvent, UserEvent,
} from "../../commands/index.ts"
import type { StreamKey } from "../../platform/index.ts"
import type { Database, TableName } from "../db.ts"

/** What the engine's mapping (storable.ts) tells a projection about an event it changed on the way in. */
export interface StorableMarks {
  /** One of its instants (its own or its commit's time) was outside what the read models store, and was clamped. */
  readonly timeClamped?: true
}

/** A recorded event whose `type` narrows its `data` (Recorded over each member of the union, not over the union). */
export type RecordedEvent = (DomainEvent extends infer E ? (E extends DomainEvent ? Recorded<E> : never) : never) & StorableMarks

export type RecordedOf<T extends RecordedEvent["type"]> = Extract<RecordedEvent, { type: T }>

interface TypesOnStream {
  USERS: UserEvent["type"]
  KIOSKS: KioskEvent["type"]
  PAYMENTS: PaymentEvent["type"]
  TELEMETRY: TelemetryEvent["type"]
  NOTIFICATIONS: NotificationEvent["type"]
  AUDIT: AuditEvent["type"]
}
/** The events a stream can hold (the store refuses to append an event to another stream). */
export type EventOnStream<K extends StreamKey> = RecordedOf<TypesOnStream[K]>

/** The row's `time_clamped` column for a row this event writes. */
export const timeClamped = (event: StorableMarks): boolean => event.timeClamped === true

/** For an update: sets `time_clamped` when this event's time was clamped, and never clears it (a row, once shown
 *  with a clamped instant, stays flagged). */
export const flagIfClamped = (event: StorableMarks): { time_clamped?: true } => (event.timeClamped ? { time_clamped: true } : {})

/** In a handler's `default:` branch: fails to compile when a new event type on the stream has no case. */
export const ignoreUnknown = (_event: never): void => undefined

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
  /**
   * For a rebuild's replay, optionally: an apply that holds back what can be written later in one go (running
   * totals, which are sums), and `flush`, which writes what it holds and forgets it: called in a transaction of its
   * own now and then (so what is held stays bounded) and once more before the indexes are built. Together they
   * must leave the tables exactly as `apply` would. The tail applied in the swap uses `apply`.
   */
  readonly replay?: () => Replay
}

export interface Replay {
  readonly apply: Projection["apply"]
  readonly flush: (trx: Transaction<Database>) => Promise<void>
}

/** For low-volume models: one handler per event of the stream, awaited in order. */
export const eventByEvent = <K extends StreamKey>(_stream: K, handle: (trx: Transaction<Database>, event: EventOnStream<K>) => Promise<void>): Projection["apply"] =>
  async (trx, events) => {
    for (const event of events) await handle(trx, event as EventOnStream<K>)
  }

export const defineProjection = (projection: Projection): Projection => projection
