// The reconciler: once every RECONCILE_EVERY_HOURS (a day by default) it reconciles the whole of PAYMENTS against
// the payments read model (src/audit/reconcile.ts) and appends the result to AUDIT as a ReconciliationCompleted,
// which the console's Audit page shows. When it is due comes from the last stored result, and the result is
// appended expecting that one's sequence: a restart does not run it twice, nor do two reconcilers at once.
import { Effect, type ManagedRuntime } from "effect"
import { sql } from "kysely"
import { lastReconciliation, reconcile } from "../../audit/index.ts"
import { EventStore, systemActor, type WriteSide } from "../../commands/index.ts"
import {
  check, counter, gauge, type Logger, makeLogger, naming, Nats, newId, type Readiness, Settings,
} from "../../platform/index.ts"
import { Db, DbPools } from "../../projections/index.ts"

export interface RunningReconciler {
  readonly readiness: Readiness
  stop(): Promise<void>
}

const runs = counter("reconciler_runs_total", "Reconciliations of PAYMENTS against the read model, by outcome", ["outcome"])
const differences = gauge("reconciler_differences", "Differences the last reconciliation found")

/** The first differences kept in the event; the full list comes from GET /audit/reconciliation. */
const KEPT = 100
const RETRY_MS = 60_000

/** Starts on the process's runtime, which outlives it; its reads use a pool of its own ("reconciler"). */
export async function startReconciler(runtime: ManagedRuntime.ManagedRuntime<WriteSide | DbPools, unknown>, options: { readonly log?: Logger | undefined } = {}): Promise<RunningReconciler> {
  const { settings, clients: { jsm }, store, pools } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, store: EventStore, pools: DbPools }))
  const handle = pools.forRole("reconciler")
  const { db } = handle
  const log = options.log ?? makeLogger(settings, "reconciler")
  const names = naming(settings.namespace)
  const everyMs = settings.reconcileEveryHours * 3_600_000
  const stop = new AbortController()

  const runIfDue = async () => {
    const last = await lastReconciliation(jsm, names)
    if (last !== undefined && Date.now() - Date.parse(last.time) < everyMs) return
    const result = await runtime.runPromise(Effect.provideService(reconcile({}, stop.signal), Db, handle))
    if (stop.signal.aborted) return
    const appended = await runtime.runPromise(Effect.result(store.append("AUDIT", names.subject.audit("reconciliations"), [{
      type: "ReconciliationCompleted",
      data: {
        fromDay: result.from_day, toDay: result.to_day, throughSeq: result.through_seq, rows: result.rows,
        differenceCount: result.differences.length,
        differences: result.differences.slice(0, KEPT).map((d) => ({
          kioskId: d.kiosk_id, currency: d.currency, day: d.day, field: d.field, replayed: d.replayed, readModel: d.read_model,
        })),
      },
    }], { expectedVersion: last?.auditSeq ?? 0, context: { actor: systemActor("reconciler"), correlationId: newId("cor") } })))
    if (appended._tag === "Failure") {
      // Another reconciler recorded one first: theirs stands.
      if (appended.failure._tag === "WrongExpectedVersion") return
      throw appended.failure
    }
    differences.set(result.differences.length)
    runs.inc({ outcome: result.differences.length === 0 ? "agreed" : "differences" })
    log[result.differences.length === 0 ? "info" : "warn"]({ throughSeq: result.through_seq, rows: result.rows, differences: result.differences.length }, "reconciled PAYMENTS against the read model")
  }

  const loop = (async () => {
    while (!stop.signal.aborted) {
      let wait = Math.min(everyMs, 600_000)
      try {
        await runIfDue()
      } catch (error) {
        // E.g. the read models not migrated yet on a fresh installation: try again soon.
        wait = RETRY_MS
        runs.inc({ outcome: "failed" })
        log.warn({ err: error }, "reconciliation failed; tried again later")
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait)
        stop.signal.addEventListener("abort", () => { clearTimeout(timer); resolve(undefined) }, { once: true })
      })
    }
  })()
  log.info({ everyHours: settings.reconcileEveryHours }, "reconciler started")

  return {
    // Ready = both sides it compares answer; a failed run is a metric and a log line, and is retried.
    readiness: async () => ({
      postgres: await check(() => sql`select 1`.execute(db), "Postgres unreachable", (err) => log.warn({ err }, "readiness: Postgres")),
      nats: await check(() => jsm.getAccountInfo(), "NATS unreachable", (err) => log.warn({ err }, "readiness: NATS")),
    }),
    async stop() {
      stop.abort()
      await loop
    },
  }
}
