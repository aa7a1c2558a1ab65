// The read side wired for an integration test: the write side (real event store on the run's NATS) plus a pool
// on the run's Postgres, migrated, under a fresh namespace; and helpers to append events and compare models.
import { Effect, ManagedRuntime } from "effect"
import { commandRuntime } from "../commandRuntime.ts"
import { type NewEvent, systemActor } from "../../../src/commands/index.ts"
import {
  type AppSettings, closeNats, connectNats, makeLogger, naming, newId, type StreamKey,
} from "../../../src/platform/index.ts"
import {
  closeDb, Db, type DbHandle, migrate, openDb, projectionsStatus, type ReadSideDeps, startProjectors, type TableName,
} from "../../../src/projections/index.ts"

export type ReadFixture = Awaited<ReturnType<typeof readSideFixture>>

export async function readSideFixture(overrides: Record<string, string> = {}) {
  const writes = await commandRuntime(overrides)
  const settings: AppSettings = writes.settings
  const nats = await connectNats(settings, "test-read")
  const db = openDb(settings, "test")
  await migrate(db)
  const names = naming(settings.namespace)
  const deps: ReadSideDeps = { db, nats, names, logger: makeLogger(settings, "test") }
  const queries = ManagedRuntime.make(Db.layerFrom(db))
  const context = { actor: systemActor("test"), correlationId: newId("cor") }

  /** Appends one commit straight through the event store (no decider): for bulk histories. Returns its sequence. */
  const append = async (stream: StreamKey, subject: string, events: readonly [NewEvent, ...Array<NewEvent>]) =>
    (await writes.run(writes.store.append(stream, subject, events, { expectedVersion: "any", context }))).seq

  /** The environment a child process needs to join this fixture's namespace. */
  const env: Record<string, string> = {
    NODE_ENV: "test", NATS_URL: settings.natsUrl, DATABASE_URL: settings.databaseUrl, APP_NAMESPACE: settings.namespace, LOG_LEVEL: "warn",
  }

  return {
    settings, env, writes, deps, db, nats, names, context, append,
    /** Runs a read-side Effect (a query) against this fixture's pool. */
    query: <A, E>(effect: Effect.Effect<A, E, Db>) => queries.runPromise(effect),
    /** Same, returning the typed failure instead of throwing it. */
    attemptQuery: <A, E>(effect: Effect.Effect<A, E, Db>) => queries.runPromise(Effect.result(effect)),
    async dispose() {
      await queries.dispose()
      await closeDb(db)
      await closeNats(nats)
      await writes.dispose()
    },
  }
}

/** Runs every projector until each has applied its whole stream (or `timeoutMs` passes), then stops them. */
export async function projectEverything(f: Pick<ReadFixture, "deps">, timeoutMs = 30_000): Promise<void> {
  const running = await startProjectors(f.deps, { watchIntervalMs: 60_000 })
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      if ((await projectionsStatus(f.deps)).every((s) => s.lag === 0)) return
    }
  } finally {
    await running.stop()
  }
}

export interface BulkPayment {
  readonly paymentId: string
  readonly kioskId: string
  readonly amount: number
  readonly currency: "EUR" | "USD"
  readonly seq: number
}

/** The i-th payment of a bulk history: kiosks, days and amounts spread deterministically by index. */
export function paymentEvent(i: number, kiosks = 7) {
  const kioskId = `ksk_${String(i % kiosks).padStart(10, "0")}`
  const paymentId = newId("pay")
  const data = {
    paymentId, kioskId, amount: 100 + (i % 5_000), currency: i % 3 === 0 ? "USD" as const : "EUR" as const,
    occurredAt: `2026-01-${String(1 + (i % 28)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:00:00.000Z`,
    operatorId: null, requestHash: `h${i}`,
  }
  return { data, event: { type: "PaymentRecorded", data } satisfies NewEvent }
}

/** Appends `count` payments straight to PAYMENTS, `concurrency` at a time. */
export async function appendPayments(f: Pick<ReadFixture, "append" | "names">, count: number, { from = 0, concurrency = 64 } = {}) {
  const out: Array<BulkPayment> = []
  for (let start = from; start < from + count; start += concurrency) {
    out.push(...await Promise.all(Array.from({ length: Math.min(concurrency, from + count - start) }, async (_, k) => {
      const { data, event } = paymentEvent(start + k)
      const seq = await f.append("PAYMENTS", f.names.subject.payment(data.kioskId, data.paymentId), [event])
      return { paymentId: data.paymentId, kioskId: data.kioskId, amount: data.amount, currency: data.currency, seq }
    })))
  }
  return out
}

/** Refunds part of each given payment (a third of its amount, at least 1), `concurrency` at a time. */
export async function appendRefunds(f: Pick<ReadFixture, "append" | "names">, payments: ReadonlyArray<BulkPayment>, concurrency = 64) {
  let last = 0
  for (let start = 0; start < payments.length; start += concurrency) {
    const seqs = await Promise.all(payments.slice(start, start + concurrency).map((p) =>
      f.append("PAYMENTS", f.names.subject.payment(p.kioskId, p.paymentId), [{
        type: "PaymentRefunded",
        data: {
          paymentId: p.paymentId, kioskId: p.kioskId, refundId: newId("rfd"), amount: Math.max(1, Math.floor(p.amount / 3)),
          currency: p.currency, reason: "test", operatorId: null,
        },
      }])))
    last = Math.max(last, ...seqs)
  }
  return last
}

const KEYS: Record<TableName, ReadonlyArray<string>> = {
  projection_checkpoints: ["name"],
  parked_events: ["projection", "seq"],
  users: ["user_id"],
  user_push_devices: ["user_id", "device_token"],
  kiosks: ["kiosk_id"],
  kiosk_heartbeats: ["kiosk_id"],
  payments: ["payment_id"],
  payment_refunds: ["refund_id"],
  kiosk_daily_sales: ["kiosk_id", "day", "currency"],
  operator_daily_sales: ["operator_id", "kiosk_id", "day", "currency"],
  notifications: ["notification_id"],
  kiosk_offline_periods: ["kiosk_id", "went_offline_seq"],
  forecasts: ["kiosk_id", "currency"],
  forecast_work: ["kiosk_id"],
  recommendations: ["recommendation_id"],
}

/** Every row of the given tables in key order: what "equal, row by row" compares. */
export async function snapshot(db: DbHandle, tables: ReadonlyArray<TableName>) {
  const out: Record<string, ReadonlyArray<unknown>> = {}
  for (const table of tables) {
    let query = db.db.selectFrom(table).selectAll()
    for (const key of KEYS[table]) query = query.orderBy(key as never)
    out[table] = await query.execute()
  }
  return out
}
