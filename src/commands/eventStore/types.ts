// The event store's vocabulary, shared by its operations and by every command handler.
import type { StreamKey } from "../../platform/index.ts"
import type { Decider, Stamped } from "../shared/decider.ts"
import type { CommandContext, Recorded } from "../shared/envelope.ts"
import type { DomainError } from "../shared/errors.ts"
import type { NewEvent } from "./codec.ts"
import type { SnapshotIdentity } from "./snapshots.ts"

/** Where an aggregate lives: its stream and its own subject. */
export interface Target {
  readonly stream: StreamKey
  readonly subject: string
}

/**
 * What loading needs of a decider: how to fold, and a name/version for its snapshots. States are plain JSON. Each
 * event comes stamped with its commit's time; a fold that has no use for it ignores it.
 */
export interface Aggregate<State, Event extends NewEvent> extends SnapshotIdentity {
  readonly initialState: () => State
  readonly evolve: (state: State, event: Stamped<Event>) => State
}

/** A decider with a snapshot identity: what `handle` runs. */
export type AggregateDecider<State, Command, Event extends NewEvent, Error extends DomainError = DomainError> =
  Decider<State, Command, Event, Error, Stamped<Event>> & SnapshotIdentity

export interface AppendOptions {
  /** The subject's last sequence we decided on; 0 = the subject must be empty; "any" skips the check. */
  readonly expectedVersion: number | "any"
  /** Becomes `Nats-Msg-Id`: a repeat inside the duplicate window is recognised, not stored twice. */
  readonly commitId?: string | undefined
  readonly context: CommandContext
  /**
   * Write to the NATS socket in this turn of the event loop rather than with the turn's other appends (the next).
   * For a record that must leave before something else this turn writes: the notifier's hand-over, before the "."
   * that lets a mail server take the message.
   */
  readonly writeNow?: boolean | undefined
}

export type EventsToAppend = readonly [NewEvent, ...ReadonlyArray<NewEvent>]

export interface Appended<Event extends NewEvent = NewEvent> {
  /** Stream sequence of the commit (of the original one for a duplicate). */
  readonly seq: number
  /** The commit id had been appended already; nothing new was stored. */
  readonly duplicate: boolean
  readonly recorded: ReadonlyArray<Recorded<Event>>
}

export interface Loaded<State> {
  readonly state: State
  /** The subject's last stream sequence (0 if it has none): the expected version of the next append. */
  readonly version: number
}

export interface HandleOptions<State = unknown> {
  /** Load-decide-append rounds before a lost race becomes a Conflict. Default 5. */
  readonly maxAttempts?: number | undefined
  readonly commitId?: string | undefined
  /**
   * The subject is expected to be empty (a new payment under a fresh key): decide on the initial state and append
   * with expected version 0 (itself the reservation), with no read first. Only when that loses (the subject has a
   * commit: a retry) or the decision refuses (it might not on the real state) does the usual load-decide-append run.
   * "retry-from-first" (a creation retried under its idempotency key, whose answer depends only on the commit that
   * created the aggregate): instead of that load, one direct get of the subject's first commit, and the decision on
   * it; the result's state and seq are then that first commit's, whatever came after it.
   */
  readonly expectNew?: boolean | "retry-from-first" | undefined
  /**
   * The aggregate as the caller already holds it (its last `Handled`, e.g. a worker stepping one notification
   * through its attempts): the first decision is made on it with no read, and a lost race reads only what came after.
   */
  readonly known?: Loaded<State> | undefined
}

export interface Handled<State, Event extends NewEvent> {
  /** The state after the command (unchanged when it produced no events). */
  readonly state: State
  readonly version: number
  /** The commit's stream sequence, or the current version when there was nothing to do: read-your-writes. */
  readonly seq: number
  readonly events: ReadonlyArray<Recorded<Event>>
}

export interface ReplayOptions {
  /** First stream sequence to deliver (inclusive). Default 1. */
  readonly fromSeq?: number | undefined
  /** Only this subject (or one wildcard filter such as `ns.payments.<kioskId>.*`). */
  readonly subject?: string | undefined
  /** Stop at the stream's last sequence as of the call; otherwise follow live until the iteration stops. */
  readonly untilEnd?: boolean | undefined
  readonly signal?: AbortSignal | undefined
}
