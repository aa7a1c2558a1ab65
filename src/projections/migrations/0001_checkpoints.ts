// Where each projection keeps the last stream sequence it applied, written in the same transaction as its rows.
import { type Kysely, sql } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("projection_checkpoints")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("stream", "text", (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("projection_checkpoints").execute()
}
