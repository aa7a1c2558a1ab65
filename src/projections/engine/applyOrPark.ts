// How a batch reaches a read model without letting one event stop it: applied together (the fast path), and
// only when that fails for a permanent reason, again message by message, each in a savepoint, so that the
// offending ones are found and parked while the rest apply. The live projector and the rebuild share this.
import { sql, type Transaction } from "kysely"
import type { Database } from "../db.ts"
import { permanentFailure, type PermanentFailure } from "./failures.ts"
import type { ParkedMessage } from "./parking.ts"
import type { Projection } from "./projection.ts"
import type { DecodedMessage } from "./recorded.ts"

/** A batch failed for a permanent reason: roll it back and apply it again with `isolate`. */
export class NeedsIsolation extends Error {
  override readonly name = "NeedsIsolation"
}

/** Runs `attempt` together; when that fails for a permanent reason, once more isolated. */
export async function withIsolation<T>(attempt: (isolate: boolean) => Promise<T>, onIsolate?: (error: NeedsIsolation) => void): Promise<T> {
  try {
    return await attempt(false)
  } catch (error) {
    if (!(error instanceof NeedsIsolation)) throw error
    onIsolate?.(error)
    return attempt(true)
  }
}

export interface BatchOutcome {
  readonly events: number
  readonly parked: ReadonlyArray<ParkedMessage>
}

/**
 * Applies the messages in `trx`. Together unless `isolate`; together, a message that doesn't decode or a
 * permanent failure throws NeedsIsolation (the transaction is unusable by then). Isolated, each message gets a
 * savepoint and a permanent failure hands it to `park` (in the same transaction, so it commits with the
 * checkpoint). Transient failures are thrown either way, for the caller to retry the batch.
 */
export async function applyOrPark(trx: Transaction<Database>, projection: Projection, messages: ReadonlyArray<DecodedMessage>,
  { isolate, park }: { readonly isolate: boolean; readonly park: (parked: ParkedMessage) => Promise<void> }): Promise<BatchOutcome> {
  if (!isolate) {
    if (messages.some((m) => m.failure !== undefined)) throw new NeedsIsolation("a message in the batch does not decode")
    const events = messages.flatMap((m) => (m.failure === undefined ? m.events : []))
    try {
      await projection.apply(trx, events)
    } catch (error) {
      if (permanentFailure(error) !== undefined) throw new NeedsIsolation("the batch failed for a permanent reason", { cause: error })
      throw error
    }
    return { events: events.length, parked: [] }
  }

  let applied = 0
  const parked: Array<ParkedMessage> = []
  const parkOne = async (message: ParkedMessage) => {
    await park(message)
    parked.push(message)
  }
  for (const message of messages) {
    if (message.failure !== undefined) {
      await parkOne(parkedAs(message, message.types, permanentFailure(message.failure)!))
      continue
    }
    await sql`savepoint one_message`.execute(trx)
    try {
      await projection.apply(trx, message.events)
      await sql`release savepoint one_message`.execute(trx)
      applied += message.events.length
    } catch (error) {
      const failure = permanentFailure(error)
      if (failure === undefined) throw error
      await sql`rollback to savepoint one_message`.execute(trx)
      await sql`release savepoint one_message`.execute(trx)
      await parkOne(parkedAs(message, message.events.map((e) => e.type), failure))
    }
  }
  return { events: applied, parked }
}

const parkedAs = (at: Pick<DecodedMessage, "seq" | "subject">, types: ReadonlyArray<string>, failure: PermanentFailure): ParkedMessage =>
  ({ seq: at.seq, subject: at.subject, types, code: failure.code, error: failure.message })
