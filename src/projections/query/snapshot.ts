// A list page together with the stream position it reflects: the rows and the projection's checkpoint are read in
// one repeatable-read snapshot, so a client that resumes the live feed from that `seq` neither misses an event
// nor gets one the page already shows.
import type { Kysely, Transaction } from "kysely"
import type { Database } from "../db.ts"
import { readCheckpoint } from "../engine/checkpoints.ts"

export async function atCheckpoint<A>(db: Kysely<Database>, projection: string, read: (trx: Transaction<Database>) => Promise<A>): Promise<{ readonly result: A; readonly seq: number }> {
  return db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(async (trx) => {
    // The first statement fixes the snapshot; the checkpoint read there matches the rows read after it.
    const seq = await readCheckpoint(trx, projection)
    return { result: await read(trx), seq }
  })
}
