// The operator's side of parked events (`admin-kiosk projections parked`): list them, re-apply one after a code
// fix, or skip one with a reason that is itself recorded. A rebuild leaves skipped events out, as the live model did.
import { projectionNamed } from "./catalogue.ts"
import { lockProjection } from "./engine/checkpoints.ts"
import { permanentFailure } from "./engine/failures.ts"
import { type ParkedEvent, parkedEvent, parkedEvents, recordAttempt, resolve } from "./engine/parking.ts"
import type { Projection } from "./engine/projection.ts"
import { decodeMessage } from "./engine/recorded.ts"
import { NotParked, ParkedAlreadyResolved, StillParked, UnknownProjection } from "./errors.ts"
import type { ReadSideDeps } from "./runtime.ts"

export type { ParkedEvent }

type Deps = Pick<ReadSideDeps, "db" | "nats" | "names">

export interface Decision {
  /** Who decided: recorded with the resolution. */
  readonly by: string
  readonly reason?: string | undefined
}

export interface Retried {
  readonly projection: string
  readonly seq: number
  readonly events: number
  /**
   * The last sequence on the event's subject, when later messages of the same aggregate were applied before this
   * one: they found it missing, so the model may differ from a replay in order (rebuild the projection then).
   */
  readonly laterOnSubject?: number
}

/** Every parked event (open and decided), by projection and sequence; or one projection's. */
export async function listParked(deps: Pick<Deps, "db">, projection?: string): Promise<ReadonlyArray<ParkedEvent>> {
  if (projection !== undefined) named(projection)
  return parkedEvents(deps.db.db, deps.db.schema, projection)
}

/**
 * Reads the parked message from its stream again and applies it on top of the current model, under the
 * projection's lock. Applied: marked retried. Failing again for a permanent reason: one more attempt recorded,
 * StillParked. A transient failure (the database went away) is thrown as it is and records nothing.
 */
export async function retryParked(deps: Deps, name: string, seq: number, decision: Decision): Promise<Retried> {
  const projection = named(name)
  const row = await openRow(deps, name, seq, "retry")
  if (row.resolution === "retried") throw alreadyResolved(row, "retry")
  const stream = deps.names.stream(projection.stream)
  const msg = await deps.nats.jsm.streams.getMessage(stream, { seq })
  if (msg === null) {
    throw new StillParked({ message: `${name} #${seq} is no longer in ${stream}; skip it instead`, projection: name, seq, error: "gone" })
  }
  const decoded = decodeMessage(msg, projection.stream)
  let failure = decoded.failure === undefined ? undefined : permanentFailure(decoded.failure)
  if (decoded.failure === undefined) {
    try {
      await deps.db.db.transaction().execute(async (trx) => {
        await lockProjection(trx, deps.db.schema, name)
        await projection.apply(trx, decoded.events)
        await resolve(trx, deps.db.schema, name, seq, { resolution: "retried", by: decision.by, reason: decision.reason ?? null })
      })
    } catch (error) {
      failure = permanentFailure(error)
      if (failure === undefined) throw error
    }
  }
  if (failure !== undefined) {
    await recordAttempt(deps.db.db, deps.db.schema, name, seq, { code: failure.code, error: failure.message })
    throw new StillParked({ message: `${name} #${seq} still fails: ${failure.message}`, projection: name, seq, error: failure.message })
  }
  const last = (await deps.nats.jsm.streams.getMessage(stream, { last_by_subj: msg.subject }))?.seq ?? seq
  return { projection: name, seq, events: decoded.failure === undefined ? decoded.events.length : 0, ...(last > seq ? { laterOnSubject: last } : {}) }
}

/** Marks an open parked event skipped: it stays out of the model, rebuilds included, and the reason is kept. */
export async function skipParked(deps: Pick<Deps, "db">, name: string, seq: number, decision: Decision & { readonly reason: string }): Promise<void> {
  named(name)
  const row = await openRow(deps, name, seq, "skip")
  if (row.resolution !== null) throw alreadyResolved(row, "skip")
  await resolve(deps.db.db, deps.db.schema, name, seq, { resolution: "skipped", by: decision.by, reason: decision.reason })
}

function named(name: string): Projection {
  const projection = projectionNamed(name)
  if (projection === undefined) throw new UnknownProjection({ message: `no projection named ${name}`, name })
  return projection
}

async function openRow(deps: Pick<Deps, "db">, projection: string, seq: number, action: string): Promise<ParkedEvent> {
  const row = await parkedEvent(deps.db.db, deps.db.schema, projection, seq)
  if (row === undefined) throw new NotParked({ message: `${projection} has no parked event at sequence ${seq} to ${action}`, projection, seq })
  return row
}

const alreadyResolved = (row: ParkedEvent, action: string) => new ParkedAlreadyResolved({
  message: `cannot ${action} ${row.projection} #${row.seq}: already ${row.resolution} by ${row.resolved_by ?? "?"} at ${row.resolved_at ?? "?"}`,
  projection: row.projection, seq: row.seq,
})
