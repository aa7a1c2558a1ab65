// What the payments read model says per kiosk, currency and day, for reconciliation against a replay of PAYMENTS:
// the daily-sales rows and the payments table summed by day, with the checkpoint they reflect, in one snapshot.
import { Effect } from "effect"
import { sql } from "kysely"
import { Db, tryDb } from "../db.ts"
import { atCheckpoint } from "../query/snapshot.ts"
import type { DailySalesView } from "./queries.ts"

/** kiosk_daily_sales' row (zeros where it has none), beside the payments table summed over the same day. */
export interface ReadModelDay extends Omit<DailySalesView, "net"> {
  readonly listed_count: number
  readonly listed_gross: number
}

export interface ReadModelDays {
  readonly days: ReadonlyArray<ReadModelDay>
  /** The payments projection's checkpoint: the PAYMENTS sequence these rows reflect. */
  readonly seq: number
}

/** Days in [fromDay, toDay) (YYYY-MM-DD, either open), optionally one kiosk. */
export const readModelDays = Effect.fn("projections.readModelDays")(function* (range: {
  readonly fromDay?: string | undefined
  readonly toDay?: string | undefined
  readonly kioskId?: string | undefined
}) {
  const { db } = yield* Db
  const { result, seq } = yield* tryDb(() => atCheckpoint(db, "payments", async (trx) => {
    const day = sql<string>`to_char(p.occurred_at at time zone 'UTC', 'YYYY-MM-DD')`
    const { rows } = await sql<{
      kiosk_id: string; day: string; currency: string; payment_count: string; gross: string; refund_count: string; refunds: string
      listed_count: string; listed_gross: string
    }>`
      with daily as (
        select kiosk_id, to_char(day, 'YYYY-MM-DD') as day, currency, payment_count, gross, refund_count, refunds
        from kiosk_daily_sales
        where (${range.kioskId ?? null}::text is null or kiosk_id = ${range.kioskId ?? null})
          and (${range.fromDay ?? null}::date is null or day >= ${range.fromDay ?? null}::date)
          and (${range.toDay ?? null}::date is null or day < ${range.toDay ?? null}::date)
      ), listed as (
        select p.kiosk_id, ${day} as day, p.currency, count(*) as listed_count, sum(p.amount) as listed_gross
        from payments p
        where (${range.kioskId ?? null}::text is null or p.kiosk_id = ${range.kioskId ?? null})
          and (${range.fromDay ?? null}::date is null or p.occurred_at >= ${range.fromDay ?? null}::date)
          and (${range.toDay ?? null}::date is null or p.occurred_at < ${range.toDay ?? null}::date)
        group by 1, 2, 3
      )
      select coalesce(d.kiosk_id, l.kiosk_id) as kiosk_id, coalesce(d.day, l.day) as day, coalesce(d.currency, l.currency) as currency,
        coalesce(d.payment_count, 0) as payment_count, coalesce(d.gross, 0) as gross,
        coalesce(d.refund_count, 0) as refund_count, coalesce(d.refunds, 0) as refunds,
        coalesce(l.listed_count, 0) as listed_count, coalesce(l.listed_gross, 0) as listed_gross
      from daily d full join listed l on d.kiosk_id = l.kiosk_id and d.day = l.day and d.currency = l.currency
      order by 2, 1, 3`.execute(trx)
    return rows
  }))
  return {
    seq,
    days: result.map((r): ReadModelDay => ({
      kiosk_id: r.kiosk_id, day: r.day, currency: r.currency,
      payment_count: Number(r.payment_count), gross: Number(r.gross), refund_count: Number(r.refund_count), refunds: Number(r.refunds),
      listed_count: Number(r.listed_count), listed_gross: Number(r.listed_gross),
    })),
  } satisfies ReadModelDays
})
