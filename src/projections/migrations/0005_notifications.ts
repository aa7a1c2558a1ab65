// Each notification's delivery record: requested, then sent or failed, with the number of attempts.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("notification_id", "text", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("params", "jsonb", (c) => c.notNull())
    .addColumn("source_event_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("provider", "text")
    .addColumn("provider_message_id", "text")
    .addColumn("last_error", "text")
    .addColumn("requested_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("notifications_requested").on("notifications")
    .columns(["requested_at desc", "notification_id desc"]).execute()
  await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "requested_at desc"]).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notifications").execute()
}
