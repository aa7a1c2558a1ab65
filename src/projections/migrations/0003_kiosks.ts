// Kiosks (from KIOSKS) and their latest heartbeat (from TELEMETRY): two projections, so two tables.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("kiosks")
    .addColumn("kiosk_id", "text", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("assignee_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz")
    .addColumn("credential_version", "integer", (c) => c.notNull())
    .addColumn("registered_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("kiosks_code").on("kiosks").column("code").execute()
  await db.schema.createIndex("kiosks_assignee").on("kiosks").columns(["assignee_id", "kiosk_id"]).execute()
  await db.schema
    .createTable("kiosk_heartbeats")
    .addColumn("kiosk_id", "text", (c) => c.primaryKey())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("app_version", "text")
    .addColumn("device_status", "jsonb", (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("kiosk_heartbeats").execute()
  await db.schema.dropTable("kiosks").execute()
}
