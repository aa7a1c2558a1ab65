// Forecasts: kiosks' offline periods (a projection of KIOSKS, so offline days can be told from days without
// sales), the forecaster's results per kiosk (or '*', the fleet) and currency, and its queue of kiosks to refit.
import { type Kysely, sql } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("kiosk_offline_periods")
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("went_offline_seq", "bigint", (c) => c.notNull())
    .addColumn("offline_from", "timestamptz", (c) => c.notNull())
    .addColumn("back_at", "timestamptz")
    .addPrimaryKeyConstraint("kiosk_offline_periods_pk", ["kiosk_id", "went_offline_seq"])
    .execute()
  await db.schema
    .createTable("forecasts")
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("history_to", "date", (c) => c.notNull())
    .addColumn("observed_days", "integer", (c) => c.notNull())
    .addColumn("need_days", "integer", (c) => c.notNull())
    .addColumn("method", "text")
    .addColumn("mase", "double precision")
    .addColumn("document", "jsonb")
    .addColumn("payments_seq", "bigint", (c) => c.notNull())
    .addColumn("fitted_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecasts_pk", ["kiosk_id", "currency"])
    .execute()
  await db.schema
    .createTable("forecast_work")
    .addColumn("kiosk_id", "text", (c) => c.primaryKey())
    .addColumn("wanted_seq", "bigint", (c) => c.notNull())
    .addColumn("fitted_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("fitted_day", "date")
    .addColumn("dirty_since", "timestamptz")
    .addColumn("due_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("lease_until", "timestamptz")
    .execute()
  await db.schema.createIndex("forecast_work_due").on("forecast_work").column("due_at").execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forecast_work").execute()
  await db.schema.dropTable("forecasts").execute()
  await db.schema.dropTable("kiosk_offline_periods").execute()
}
