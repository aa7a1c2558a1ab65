// The whole domain contract, after Emmett: pure functions, no I/O.
import { Result } from "effect"
import type { DomainError } from "./errors.ts"

/** An event as the store folds it: what was decided, and when its commit was recorded. */
export type Stamped<Event> = Event & { readonly time: string }

/**
 * `Folded` is what `evolve` takes: the event itself, or `Stamped<Event>` for a state that keeps when something
 * was recorded (a payment's receipt says so). The event store always folds stamped events.
 */
export interface Decider<State, Command, Event, Error extends DomainError = DomainError, Folded = Event> {
  readonly initialState: () => State
  /** The events a command produces against a state, or why it may not happen. No events = nothing to do. */
  readonly decide: (command: Command, state: State) => Result.Result<ReadonlyArray<Event>, Error>
  readonly evolve: (state: State, event: Folded) => State
}

export const accept = <Event>(...events: ReadonlyArray<Event>) => Result.succeed(events)
export const reject = <Error extends DomainError>(error: Error) => Result.fail(error)
/** Already so: the command is satisfied without a new event (idempotent repeats). */
export const nothingToDo = Result.succeed([] as ReadonlyArray<never>)

export const fold = <State, Event>(decider: Pick<Decider<State, never, never, DomainError, Event>, "initialState" | "evolve">, events: Iterable<Event>): State => {
  let state = decider.initialState()
  for (const event of events) state = decider.evolve(state, event)
  return state
}
