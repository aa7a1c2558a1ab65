// The forecaster's queue in Postgres: which kiosks (and '*', the fleet) have news since their last fit, when each
// is due (debounced: quiet for a moment, but never later than a bound after the first news), and which instance
// holds it. Claims skip locked rows and carry a lease, so several forecasters share the work and a crashed one's
// claim simply expires.
import { type Kysely, sql } from "kysely"
import type { Database } from "../db.ts"

/** The fleet's key in the queue and among the forecasts: no kiosk id looks like it. */
export const FLEET = "*"

export interface Due {
  readonly kioskId: string
  /** The latest PAYMENTS sequence that concerns it. */
  readonly seq: number
  /** Refit once no news came for this long… */
  readonly quietMs: number
  /** …or this long after the first news since the last fit, whichever is sooner. */
  readonly maxWaitMs: number
}

const ms = (value: number) => sql<string>`make_interval(secs => ${value / 1000})`

/** Records news for several kiosks in one statement; news older than what was already fitted changes nothing. */
export async function markDue(db: Kysely<Database>, entries: ReadonlyArray<Due>): Promise<void> {
  // One statement per debounce setting (kiosks share one, the fleet has its own).
  for (const group of Map.groupBy(entries, (e) => `${e.quietMs}/${e.maxWaitMs}`).values()) {
    const { quietMs, maxWaitMs } = group[0]!
    const dirty = sql<boolean>`forecast_work.wanted_seq > forecast_work.fitted_seq`
    await db.insertInto("forecast_work")
      .values(group.map((e) => ({ kiosk_id: e.kioskId, wanted_seq: e.seq, dirty_since: sql<string>`now()`, due_at: sql<string>`now() + ${ms(quietMs)}` })))
      .onConflict((oc) => oc.column("kiosk_id").doUpdateSet({
        wanted_seq: sql<number>`greatest(forecast_work.wanted_seq, excluded.wanted_seq)`,
        dirty_since: sql<string>`case when ${dirty} then forecast_work.dirty_since else now() end`,
        due_at: sql<string>`case when ${dirty}
          then least(now() + ${ms(quietMs)}, coalesce(forecast_work.dirty_since, now()) + ${ms(maxWaitMs)})
          else now() + ${ms(quietMs)} end`,
      }).where(sql<boolean>`excluded.wanted_seq > forecast_work.fitted_seq`))
      .execute()
  }
}

export interface Claimed {
  readonly kioskId: string
  /** The PAYMENTS sequence the fit must include. */
  readonly wantedSeq: number
}

/**
 * Takes the longest-due kiosk that has news, or whose forecast was made before `historyEnd` (a new day), and
 * leases it to the caller for `leaseMs`. Undefined when nothing is due.
 */
export async function claimDue(db: Kysely<Database>, options: { readonly historyEnd: string; readonly leaseMs: number }): Promise<Claimed | undefined> {
  const row = await db.updateTable("forecast_work")
    .set({ lease_until: sql<string>`now() + ${ms(options.leaseMs)}` })
    .where("kiosk_id", "=", (eb) => eb.selectFrom("forecast_work")
      .select("kiosk_id")
      .where("due_at", "<=", sql<string>`now()`)
      .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", sql<string>`now()`)]))
      .where((w) => w.or([
        w("wanted_seq", ">", w.ref("fitted_seq")),
        w("fitted_day", "is", null),
        w("fitted_day", "<", options.historyEnd),
      ]))
      .orderBy("due_at").orderBy("kiosk_id").limit(1)
      .forUpdate().skipLocked())
    .returning(["kiosk_id", "wanted_seq"])
    .executeTakeFirst()
  return row === undefined ? undefined : { kioskId: row.kiosk_id, wantedSeq: row.wanted_seq }
}

/** The fit covering `fittedSeq` and the history to `fittedDay` is stored: done, unless news came meanwhile. */
export async function finishWork(db: Kysely<Database>, kioskId: string, fittedSeq: number, fittedDay: string): Promise<void> {
  await db.updateTable("forecast_work")
    .set({
      fitted_seq: sql<number>`greatest(fitted_seq, ${fittedSeq})`,
      fitted_day: fittedDay,
      lease_until: null,
      dirty_since: sql<string>`case when wanted_seq > greatest(fitted_seq, ${fittedSeq}) then dirty_since else null end`,
    })
    .where("kiosk_id", "=", kioskId)
    .execute()
}

/** Gives a claim back, to be tried again in `delayMs` (its read models were behind, or the fit failed). */
export async function releaseWork(db: Kysely<Database>, kioskId: string, delayMs: number): Promise<void> {
  await db.updateTable("forecast_work")
    .set({ lease_until: null, due_at: sql<string>`now() + ${ms(delayMs)}` })
    .where("kiosk_id", "=", kioskId)
    .execute()
}
