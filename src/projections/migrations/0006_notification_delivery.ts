// The delivery record grows with the notifier's attempts: when the next try is due, and whether a "sent" was
// confirmed by the provider or only handed over before the worker lost it.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications")
    .addColumn("retry_at", "timestamptz")
    .addColumn("confirmed", "boolean", (c) => c.notNull().defaultTo(true))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("retry_at").dropColumn("confirmed").execute()
}
