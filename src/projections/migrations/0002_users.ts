// Users as the console and the notifiers need them: contact, role, preferences, push devices. No password hashes.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("preferences", "jsonb", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull())
    .addColumn("registered_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("users_username").on("users").column("username").execute()
  await db.schema
    .createTable("user_push_devices")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_token", "text", (c) => c.notNull())
    .addColumn("added_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_push_devices_pk", ["user_id", "device_token"])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_push_devices").execute()
  await db.schema.dropTable("users").execute()
}
