// The parked_events table: events a projection could not apply for a permanent reason, and the decisions taken
// about them. Always addressed through the namespace's schema, because a rebuild parks from transactions whose
// search_path points at its shadow tables.
import { type Kysely, type Selectable, sql } from "kysely"
import type { Logger } from "../../platform/index.ts"
import type { Database, DbHandle, ParkedEventsTable, ParkedResolution } from "../db.ts"
import { projectionMetrics as metrics } from "./metrics.ts"

/** A message parked by a batch: what its row records, and what the log line says. */
export interface ParkedMessage {
  readonly seq: number
  readonly subject: string
  readonly types: ReadonlyArray<string>
  readonly code: string
  readonly error: string
}

export type ParkedEvent = Selectable<ParkedEventsTable>

const table = (db: Kysely<Database>, schema: string) => db.withSchema(schema).selectFrom("parked_events")

/**
 * Records a parked message. Parked again (a rebuild meeting it once more, a retry that failed) it counts one more
 * attempt and takes the latest error; a "retried" one that fails again is open again. A skip is never undone here.
 */
export async function park(db: Kysely<Database>, schema: string, projection: string, stream: string, parked: ParkedMessage): Promise<void> {
  await db.withSchema(schema).insertInto("parked_events").values({
    projection, seq: parked.seq, stream, subject: parked.subject, event_types: parked.types.join(","),
    error_code: parked.code, error: parked.error,
  }).onConflict((oc) => oc.columns(["projection", "seq"]).doUpdateSet((eb) => ({
    attempts: sql<number>`parked_events.attempts + 1`,
    error_code: eb.ref("excluded.error_code"),
    error: eb.ref("excluded.error"),
    last_attempt_at: sql<string>`now()`,
    resolution: null, resolved_by: null, reason: null, resolved_at: null,
  })).where("parked_events.resolution", "is distinct from", "skipped")).execute()
}

/** A retry that failed again: one more attempt, the latest error. */
export async function recordAttempt(db: Kysely<Database>, schema: string, projection: string, seq: number, failure: Pick<ParkedMessage, "code" | "error">) {
  await db.withSchema(schema).updateTable("parked_events")
    .set({ attempts: sql<number>`attempts + 1`, error_code: failure.code, error: failure.error, last_attempt_at: sql<string>`now()` })
    .where("projection", "=", projection).where("seq", "=", seq).execute()
}

export async function resolve(db: Kysely<Database>, schema: string, projection: string, seq: number,
  decision: { readonly resolution: ParkedResolution; readonly by: string; readonly reason: string | null }): Promise<void> {
  await db.withSchema(schema).updateTable("parked_events")
    .set({ resolution: decision.resolution, resolved_by: decision.by, reason: decision.reason, resolved_at: sql<string>`now()` })
    .where("projection", "=", projection).where("seq", "=", seq).execute()
}

/**
 * After a rebuild replayed up to `upTo`: the open rows it did not park again applied this time (the code was
 * fixed), so they are resolved as retried by the rebuild.
 */
export async function resolveReplayed(db: Kysely<Database>, schema: string, projection: string, upTo: number, parkedAgain: ReadonlySet<number>) {
  await db.withSchema(schema).updateTable("parked_events")
    .set({ resolution: "retried", resolved_by: "rebuild", reason: "applied by a rebuild", resolved_at: sql<string>`now()` })
    .where("projection", "=", projection).where("resolution", "is", null).where("seq", "<=", upTo)
    .$if(parkedAgain.size > 0, (q) => q.where("seq", "not in", [...parkedAgain]))
    .execute()
}

export async function parkedEvent(db: Kysely<Database>, schema: string, projection: string, seq: number): Promise<ParkedEvent | undefined> {
  return table(db, schema).selectAll().where("projection", "=", projection).where("seq", "=", seq).executeTakeFirst()
}

export async function parkedEvents(db: Kysely<Database>, schema: string, projection?: string): Promise<ReadonlyArray<ParkedEvent>> {
  return table(db, schema).selectAll()
    .$if(projection !== undefined, (q) => q.where("projection", "=", projection!))
    .orderBy("projection").orderBy("seq").execute()
}

/** The sequences an operator skipped: a rebuild leaves them out, as the live model did. */
export async function skippedSeqs(db: Kysely<Database>, schema: string, projection: string): Promise<ReadonlySet<number>> {
  const rows = await table(db, schema).select("seq").where("projection", "=", projection).where("resolution", "=", "skipped").execute()
  return new Set(rows.map((r) => r.seq))
}

/** Parked events still waiting for a decision, per projection. */
export async function openParkedCounts(db: Kysely<Database>, schema: string): Promise<ReadonlyMap<string, number>> {
  const rows = await table(db, schema).select(["projection", (eb) => eb.fn.countAll<string>().as("n")])
    .where("resolution", "is", null).groupBy("projection").execute()
  return new Map(rows.map((r) => [r.projection, Number(r.n)]))
}

/** After the commit: one error line per parked message (on the projection's own logger), and the parked metrics. */
export async function reportParked({ log, db }: { readonly log: Logger; readonly db: DbHandle }, projection: string, stream: string,
  parked: ReadonlyArray<ParkedMessage>): Promise<void> {
  for (const p of parked) {
    log.error({ stream, seq: p.seq, subject: p.subject, types: p.types, code: p.code, error: p.error },
      "event parked: it cannot be applied, the projection moves on without it (admin-kiosk projections parked)")
  }
  metrics.parkedTotal.inc({ projection }, parked.length)
  const open = await openParkedCounts(db.db, db.schema).catch(() => undefined)
  if (open !== undefined) metrics.parked.set({ projection }, open.get(projection) ?? 0)
}
