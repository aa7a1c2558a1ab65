// The checkpoint table and the per-projection advisory lock: the two things that make batches exactly-once.
import { type Kysely, sql, type Transaction } from "kysely"
import type { Database } from "../db.ts"

export interface Checkpoint {
  readonly name: string
  readonly stream: string
  readonly lastSeq: number
}

/** Creates the projection's checkpoint row at 0 if it has none yet (first start on a fresh schema). */
export async function ensureCheckpoint(db: Kysely<Database>, name: string, stream: string): Promise<number> {
  await db.insertInto("projection_checkpoints").values({ name, stream, last_seq: 0 })
    .onConflict((oc) => oc.column("name").doNothing()).execute()
  return readCheckpoint(db, name)
}

export async function readCheckpoint(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db.selectFrom("projection_checkpoints").select("last_seq").where("name", "=", name).executeTakeFirst()
  return row?.last_seq ?? 0
}

export async function readCheckpoints(db: Kysely<Database>): Promise<ReadonlyArray<Checkpoint>> {
  const rows = await db.selectFrom("projection_checkpoints").select(["name", "stream", "last_seq"]).orderBy("name").execute()
  return rows.map((r) => ({ name: r.name, stream: r.stream, lastSeq: r.last_seq }))
}

/** Compare-and-set: moves the checkpoint only from the value this batch started from. False = someone else moved it. */
export async function advanceCheckpoint(trx: Transaction<Database>, name: string, expected: number, next: number): Promise<boolean> {
  const result = await trx.updateTable("projection_checkpoints")
    .set({ last_seq: next, updated_at: sql<string>`now()` })
    .where("name", "=", name).where("last_seq", "=", expected)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Sets the checkpoint whatever it was: only a rebuild's swap does this, holding the projection's lock. */
export async function setCheckpoint(trx: Transaction<Database>, name: string, stream: string, lastSeq: number): Promise<void> {
  await trx.insertInto("projection_checkpoints").values({ name, stream, last_seq: lastSeq })
    .onConflict((oc) => oc.column("name").doUpdateSet({ last_seq: lastSeq, stream, updated_at: sql<string>`now()` }))
    .execute()
}

/**
 * Held by the live projector for each batch and by a rebuild for its swap, so the two never interleave.
 * Keyed by schema and projection, so namespaces sharing a database don't block each other.
 */
export async function lockProjection(trx: Transaction<Database>, schema: string, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${schema}.projection.${name}`}, 0))`.execute(trx)
}
