// An operator sees only the payments taken while a kiosk was theirs (each payment's operator_id), not every payment
// of the kiosks they hold now: their lists filter on operator_id, and their daily sales come from a table kept per
// operator. It is filled here from the payments already projected, in the same transaction that creates it, so the
// projector (which writes it from now on) never meets it half-filled.
import { type Kysely, sql } from "kysely"

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("payments_operator_occurred").on("payments")
    .columns(["operator_id", "occurred_at desc", "payment_id desc"]).execute()
  await db.schema
    .createTable("operator_daily_sales")
    .addColumn("operator_id", "text", (c) => c.notNull())
    .addColumn("kiosk_id", "text", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("payment_count", "integer", (c) => c.notNull())
    .addColumn("gross", "bigint", (c) => c.notNull())
    .addColumn("refund_count", "integer", (c) => c.notNull())
    .addColumn("refunds", "bigint", (c) => c.notNull())
    .addColumn("net", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("operator_daily_sales_pk", ["operator_id", "kiosk_id", "day", "currency"])
    .execute()
  // The same days as kiosk_daily_sales: a payment on its occurred_at's UTC day, a refund on the day it was made.
  await sql`
    insert into operator_daily_sales (operator_id, kiosk_id, day, currency, payment_count, gross, refund_count, refunds, net)
    select operator_id, kiosk_id, day, currency, sum(payment_count), sum(gross), sum(refund_count), sum(refunds), sum(net)
    from (
      select operator_id, kiosk_id, (occurred_at at time zone 'UTC')::date as day, currency,
        1 as payment_count, amount as gross, 0 as refund_count, 0::bigint as refunds, amount as net
      from payments where operator_id is not null
      union all
      select operator_id, kiosk_id, (refunded_at at time zone 'UTC')::date, currency, 0, 0, 1, amount, -amount
      from payment_refunds where operator_id is not null
    ) as movements
    group by operator_id, kiosk_id, day, currency`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("operator_daily_sales").execute()
  await db.schema.dropIndex("payments_operator_occurred").execute()
}
