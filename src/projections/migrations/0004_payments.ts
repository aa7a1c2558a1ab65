// Every payment with its refunds and net amount, and per-kiosk daily sales by currency.
import { type Kysely } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("payments")
    .addColumn("payment_id", "text", (c) => c.primaryKey())
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("operator_id", "text")
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull())
    .addColumn("refunded_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("refund_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("net_amount", "bigint", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute()
  // Lists page newest first, overall or per kiosk; the id breaks ties between equal instants.
  await db.schema.createIndex("payments_occurred").on("payments").columns(["occurred_at desc", "payment_id desc"]).execute()
  await db.schema.createIndex("payments_kiosk_occurred").on("payments")
    .columns(["kiosk_id", "occurred_at desc", "payment_id desc"]).execute()
  await db.schema
    .createTable("payment_refunds")
    .addColumn("refund_id", "text", (c) => c.primaryKey())
    .addColumn("payment_id", "text", (c) => c.notNull())
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("operator_id", "text")
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("refunded_at", "timestamptz", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("payment_refunds_payment").on("payment_refunds").columns(["payment_id", "seq"]).execute()
  await db.schema
    .createTable("kiosk_daily_sales")
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("payment_count", "integer", (c) => c.notNull())
    .addColumn("gross", "bigint", (c) => c.notNull())
    .addColumn("refund_count", "integer", (c) => c.notNull())
    .addColumn("refunds", "bigint", (c) => c.notNull())
    .addColumn("net", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("kiosk_daily_sales_pk", ["kiosk_id", "day", "currency"])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("kiosk_daily_sales").execute()
  await db.schema.dropTable("payment_refunds").execute()
  await db.schema.dropTable("payments").execute()
}
