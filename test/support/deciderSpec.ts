// Given/when/then for deciders, after Emmett's DeciderSpecification: given past events, when a command,
// then the new events, nothing, or a typed refusal. Pure: no I/O.
import { Result } from "effect"
import { expect } from "vitest"
import type { Decider, DomainError } from "../../src/commands/index.ts"

export const DeciderSpecification = {
  /** `given` takes the events as the decider folds them (stamped with a time, for one that keeps when). */
  for<State, Command, Event, Error extends DomainError, Folded>(decider: Decider<State, Command, Event, Error, Folded>) {
    return (...given: ReadonlyArray<Folded>) => ({
      when(command: Command) {
        const run = () => {
          let state = decider.initialState()
          for (const event of given) state = decider.evolve(state, event)
          return decider.decide(command, state)
        }
        return {
          then(...expected: ReadonlyArray<Event>) {
            const result = run()
            if (Result.isFailure(result)) throw new Error(`expected events, got ${result.failure._tag}: ${result.failure.message}`)
            expect(result.success).toEqual(expected)
          },
          thenNothingHappens() {
            const result = run()
            if (Result.isFailure(result)) throw new Error(`expected no events, got ${result.failure._tag}: ${result.failure.message}`)
            expect(result.success).toEqual([])
          },
          thenFails(tag: DomainError["_tag"], message?: RegExp) {
            const result = run()
            if (Result.isSuccess(result)) throw new Error(`expected ${tag}, got events ${JSON.stringify(result.success)}`)
            expect(result.failure._tag).toBe(tag)
            if (message) expect(result.failure.message).toMatch(message)
          },
        }
      },
    })
  },
}
