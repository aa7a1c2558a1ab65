// Every payment a filter matches, oldest first, in batches: the CSV export reads them this way so that its memory
// stays that of one batch however many rows match. One read-only repeatable-read snapshot covers the whole
// export, so a payment recorded meanwhile is neither half in nor counted twice.
import { Effect } from "effect"
import { Db, tryDb } from "../db.ts"
import { awaitProjection } from "../query/freshness.ts"
import { matching, PAYMENT_COLUMNS, type PaymentFilter, paymentsWithNames } from "./filter.ts"
import { type PaymentRow, withRefunds } from "./queries.ts"

export const EXPORT_BATCH = 500

/**
 * Calls `onBatch` with each batch of matching payments until none are left (or it answers false: the reader went
 * away). The caller's `onBatch` waits for its sink to drain, which is what bounds the memory.
 */
export const eachMatchingPayment = Effect.fn("projections.eachMatchingPayment")(function* (
  filter: PaymentFilter & { readonly minSeq?: number | undefined },
  onBatch: (payments: ReadonlyArray<PaymentRow>) => Promise<boolean>,
) {
  yield* awaitProjection("payments", filter.minSeq)
  const { db } = yield* Db
  // The caller's sink failing is not the database failing: that stays the defect it was, not a DbError.
  let sinkFailure: { readonly error: unknown } | undefined
  return yield* tryDb(() =>
    db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(async (trx) => {
      let after: { readonly at: string; readonly id: string } | undefined
      let sent = 0
      for (;;) {
        let query = paymentsWithNames(trx).select(PAYMENT_COLUMNS).where(matching(trx, filter))
        if (after !== undefined) {
          const { at, id } = after
          query = query.where((eb) => eb(eb.refTuple("payments.occurred_at", "payments.payment_id"), ">", eb.tuple(at, id)))
        }
        const rows = await query.orderBy("payments.occurred_at").orderBy("payments.payment_id").limit(EXPORT_BATCH).execute()
        if (rows.length === 0) return sent
        const view = await withRefunds(trx, rows)
        sent += rows.length
        let more: boolean
        try {
          more = await onBatch(rows.map(view))
        } catch (error) {
          sinkFailure = { error }
          throw error
        }
        if (!more) return sent
        const last = rows.at(-1)!
        after = { at: last.occurred_at, id: last.payment_id }
      }
    })).pipe(Effect.catch((error) => (sinkFailure === undefined ? Effect.fail(error) : Effect.die(sinkFailure.error))))
})
