// The forecaster's recommendations: one per kiosk, kind and currency at most, replaced at each refit of the kiosk.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("recommendations")
    .addColumn("recommendation_id", "text", (c) => c.primaryKey())
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("document", "jsonb", (c) => c.notNull())
    .addColumn("history_to", "date", (c) => c.notNull())
    .addColumn("payments_seq", "bigint", (c) => c.notNull())
    .addColumn("computed_at", "timestamptz", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("recommendations_kiosk").on("recommendations").column("kiosk_id").execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("recommendations").execute()
}
