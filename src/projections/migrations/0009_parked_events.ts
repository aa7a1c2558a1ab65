// A projector never wedges: an event it cannot apply for a permanent reason is parked here (one table, a row per
// projection and sequence) and the projection moves on. Rows whose instants had to be clamped say so.
import { type Kysely, sql } from "kysely"

const FLAGGED = [
  "users", "user_push_devices", "kiosks", "kiosk_heartbeats", "payments", "payment_refunds", "notifications", "kiosk_offline_periods",
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("parked_events")
    .addColumn("projection", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("stream", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("event_types", "text", (c) => c.notNull())
    .addColumn("error_code", "text", (c) => c.notNull())
    .addColumn("error", "text", (c) => c.notNull())
    .addColumn("first_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("resolution", "text", (c) => c.check(sql`resolution in ('retried', 'skipped')`))
    .addColumn("resolved_by", "text")
    .addColumn("reason", "text")
    .addColumn("resolved_at", "timestamptz")
    .addPrimaryKeyConstraint("parked_events_pk", ["projection", "seq"])
    .execute()
  for (const table of FLAGGED) {
    await db.schema.alterTable(table).addColumn("time_clamped", "boolean", (c) => c.notNull().defaultTo(false)).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of FLAGGED) await db.schema.alterTable(table).dropColumn("time_clamped").execute()
  await db.schema.dropTable("parked_events").execute()
}
