// The plumbing every aggregate's handlers share: where it lives, how to load it, how to run a command on it.
import { Effect } from "effect"
import type { Naming, StreamKey } from "../../platform/index.ts"
import { type AggregateDecider, EventStore, type HandleOptions, type NewEvent } from "../eventStore/index.ts"
import type { CommandContext } from "./envelope.ts"
import type { DomainError } from "./errors.ts"

export function aggregate<State, Command, Event extends NewEvent, Error extends DomainError>(
  decider: AggregateDecider<State, Command, Event, Error>,
  stream: StreamKey,
  subjectOf: (names: Naming, id: string) => string,
) {
  const target = (id: string) => Effect.map(EventStore, (store) => ({ stream, subject: subjectOf(store.naming, id) }))
  return {
    target,
    load: (id: string) =>
      Effect.flatMap(EventStore, (store) => Effect.flatMap(target(id), ({ subject }) => store.load(decider, stream, subject))),
    run: (id: string, command: Command, context: CommandContext, options?: HandleOptions<State>) =>
      Effect.flatMap(EventStore, (store) => Effect.flatMap(target(id), (at) => store.handle(decider, at, command, context, options))),
  }
}
