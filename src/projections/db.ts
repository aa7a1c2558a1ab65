// The read side's Postgres: the typed `Database` (every read-model table, declared once) and the `Db` service.
// All tables live in the namespace's schema; connections set `search_path` to it so queries stay unqualified.
import { Context, Effect, Layer } from "effect"
import { Kysely, PostgresDialect, type ColumnType, type Generated } from "kysely"
import pg from "pg"
import type { Channel, Language, NotificationPreferences, Role } from "../commands/index.ts"
import type { Forecast, MethodName, Recommendation, RecommendationKind } from "../workers/forecaster/model/index.ts"
import { type AppSettings, type Logger, makeLogger, naming, Settings } from "../platform/index.ts"
import { DbError } from "./errors.ts"

/** An ISO 8601 UTC instant going in and coming out (the pool parses timestamptz to ISO strings). */
type Instant = ColumnType<string, string, string>
/** Columns with a default that inserts may leave out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>

export interface ProjectionCheckpointsTable {
  name: string
  stream: string
  last_seq: number
  updated_at: Defaulted<string>
}

export interface UsersTable {
  user_id: string
  username: string
  role: Role
  display_name: string | null
  email: string | null
  phone: string | null
  language: Language
  preferences: ColumnType<NotificationPreferences, NotificationPreferences, NotificationPreferences>
  active: boolean
  registered_at: Instant
  updated_at: Instant
  last_seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export interface UserPushDevicesTable {
  user_id: string
  device_token: string
  added_at: Instant
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

/** "unknown" until the offline detector has judged it (a new kiosk is neither up nor down yet). */
export type KioskStatus = "unknown" | "online" | "offline" | "decommissioned"

export interface KiosksTable {
  kiosk_id: string
  code: string
  name: string
  location: string
  assignee_id: string | null
  status: KioskStatus
  /** From KioskWentOffline / KioskCameOnline; heartbeats keep their own, fresher, table. */
  last_seen_at: Instant | null
  credential_version: number
  registered_at: Instant
  updated_at: Instant
  last_seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export interface KioskHeartbeatsTable {
  kiosk_id: string
  last_seen_at: Instant
  app_version: string | null
  device_status: ColumnType<Record<string, string | number | boolean>, Record<string, string | number | boolean>, Record<string, string | number | boolean>>
  last_seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export interface PaymentsTable {
  payment_id: string
  kiosk_id: string
  operator_id: string | null
  amount: number
  currency: string
  occurred_at: Instant
  recorded_at: Instant
  refunded_amount: Defaulted<number>
  refund_count: Defaulted<number>
  net_amount: number
  seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export interface PaymentRefundsTable {
  refund_id: string
  payment_id: string
  kiosk_id: string
  operator_id: string | null
  amount: number
  currency: string
  reason: string
  refunded_at: Instant
  seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export interface KioskDailySalesTable {
  kiosk_id: string
  /** UTC calendar day, `YYYY-MM-DD`: of the payment's occurredAt, or of the refund's recording. */
  day: string
  currency: string
  payment_count: number
  gross: number
  refund_count: number
  refunds: number
  net: number
}

/** The same days, for the payments each operator took (a payment's operator at the time, and its refunds). */
export interface OperatorDailySalesTable extends KioskDailySalesTable {
  operator_id: string
}

export type NotificationStatus = "requested" | "sent" | "failed"

export interface NotificationsTable {
  notification_id: string
  channel: Channel
  user_id: string | null
  address: string
  template: string
  language: Language
  params: ColumnType<Record<string, string | number | null>, Record<string, string | number | null>, Record<string, string | number | null>>
  source_event_id: string | null
  status: NotificationStatus
  attempts: Defaulted<number>
  provider: string | null
  provider_message_id: string | null
  last_error: string | null
  /** When a transiently failed delivery is tried again; null when none is scheduled. */
  retry_at: Instant | null
  /** False for a "sent" the provider never confirmed (handed over, then the worker lost the answer). */
  confirmed: Defaulted<boolean>
  requested_at: Instant
  updated_at: Instant
  last_seq: number
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export type ParkedResolution = "retried" | "skipped"

/** An event a projection could not apply for a permanent reason, and what an operator decided about it. */
export interface ParkedEventsTable {
  projection: string
  seq: number
  stream: string
  subject: string
  /** The commit's event types, comma-separated (empty when the message isn't a readable commit). */
  event_types: string
  /** The Postgres SQLSTATE, or "decode" for a message that isn't a valid commit. */
  error_code: string
  error: string
  first_seen_at: Defaulted<string>
  last_attempt_at: Defaulted<string>
  attempts: Defaulted<number>
  /** null while it waits for a decision. */
  resolution: ParkedResolution | null
  resolved_by: string | null
  reason: string | null
  resolved_at: Instant | null
}

/** A kiosk's time offline: from its last heartbeat before KioskWentOffline to KioskCameOnline (null: still offline). */
export interface KioskOfflinePeriodsTable {
  kiosk_id: string
  went_offline_seq: number
  offline_from: Instant
  back_at: Instant | null
  /** An instant of the events behind this row was outside what the read models store and was clamped. */
  time_clamped: Defaulted<boolean>
}

export type ForecastStatus = "ready" | "not_enough_history"

/** The forecaster's latest result for a kiosk ('*': the fleet) and currency. */
export interface ForecastsTable {
  kiosk_id: string
  currency: string
  status: ForecastStatus
  /** The history's last day, YYYY-MM-DD. */
  history_to: string
  observed_days: number
  need_days: number
  method: MethodName | null
  mase: number | null
  /** The whole forecast (paths, intervals, backtest, history used); null when there was not enough history. */
  document: ColumnType<Forecast | null, string | null, string | null>
  /** The PAYMENTS position the history reflects: a refit from older data never replaces a newer one. */
  payments_seq: number
  fitted_at: Instant
}

/** The forecaster's queue: which kiosks ('*': the fleet) to refit, debounced, leased to one instance at a time. */
export interface ForecastWorkTable {
  kiosk_id: string
  /** The latest PAYMENTS sequence seen for it. */
  wanted_seq: number
  /** The sequence its stored forecast covers. */
  fitted_seq: Defaulted<number>
  /** The history's last day at that fit (a new UTC day makes every forecast due again). */
  fitted_day: string | null
  /** When it became due after its last fit: bounds the debounce. */
  dirty_since: Instant | null
  due_at: Defaulted<string>
  lease_until: Instant | null
}

/** A recommendation of the forecaster's: `kiosk/kind/currency` is its id (one of each at most). */
export interface RecommendationsTable {
  recommendation_id: string
  kiosk_id: string
  kind: RecommendationKind
  currency: string
  document: ColumnType<Recommendation, string, string>
  history_to: string
  payments_seq: number
  computed_at: Instant
}

export interface Database {
  projection_checkpoints: ProjectionCheckpointsTable
  parked_events: ParkedEventsTable
  users: UsersTable
  user_push_devices: UserPushDevicesTable
  kiosks: KiosksTable
  kiosk_heartbeats: KioskHeartbeatsTable
  payments: PaymentsTable
  payment_refunds: PaymentRefundsTable
  kiosk_daily_sales: KioskDailySalesTable
  operator_daily_sales: OperatorDailySalesTable
  notifications: NotificationsTable
  kiosk_offline_periods: KioskOfflinePeriodsTable
  forecasts: ForecastsTable
  forecast_work: ForecastWorkTable
  recommendations: RecommendationsTable
}

export type TableName = keyof Database
/** Re-exported so room code never needs Kysely's generics to name a generated column. */
export type { Generated }

export interface DbHandle {
  readonly db: Kysely<Database>
  /** The Postgres schema every table lives in (the namespace's). */
  readonly schema: string
}

const { builtins, getTypeParser } = pg.types
const parseTimestamp = getTypeParser(builtins.TIMESTAMPTZ)
// Sequences and minor-unit sums stay far below 2^53; dates stay calendar strings (pg would shift them to local time).
const typeParsers: Partial<Record<number, (value: string) => unknown>> = {
  [builtins.INT8]: (value) => Number(value),
  [builtins.DATE]: (value) => value,
  [builtins.TIMESTAMPTZ]: (value) => (parseTimestamp(value) as Date).toISOString(),
}

/** Opens a pool for one role of this process (the role shows in `pg_stat_activity.application_name`). */
export function openDb(settings: Pick<AppSettings, "databaseUrl" | "namespace">, role = "app", max = 10): DbHandle {
  const schema = naming(settings.namespace).dbSchema
  const pool = new pg.Pool({
    connectionString: settings.databaseUrl,
    application_name: `admin-kiosk:${settings.namespace}:${role}`,
    options: `-c search_path=${schema} -c timezone=UTC`,
    max,
    // A database that does not answer (a host gone, a SYN dropped) fails the query in seconds, never hangs it. The
    // same limit bounds a wait for a free connection, hence not shorter.
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        typeParsers[oid] ?? getTypeParser(oid, format as "text")) as typeof getTypeParser,
    },
  })
  // An idle connection that Postgres closed (a restart, a failover) is dropped by the pool and the next query
  // reconnects; without a listener, Node would turn that 'error' event into a crash of the whole process.
  pool.on("error", (error) => poolLog(settings).warn({ err: error, role }, "idle Postgres connection lost; the pool reconnects"))
  // One dropped while in use (pg_terminate_backend mid-batch) emits 'error' on its client too: the query using it
  // fails and says so (a transient error the projector retries), and the pool discards it on release.
  // pg's pool.end() resolves once its clients are told to end, before their connections have closed: a closer that
  // stops Postgres next (dev) would have it cut them ("terminating connection due to administrator command").
  const connections = new Set<Promise<void>>()
  pool.on("connect", (client) => {
    client.on("error", () => undefined)
    const ended = new Promise<void>((resolve) => client.once("end", () => resolve()))
    connections.add(ended)
    void ended.then(() => connections.delete(ended))
  })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  closedConnections.set(db, () => Promise.all(connections).then(() => undefined))
  return { db, schema }
}

/** For each open pool: resolves when every connection it opened has closed. */
const closedConnections = new WeakMap<Kysely<Database>, () => Promise<void>>()
const CLOSE_WAIT_MS = 2_000

let poolLogger: Logger | undefined
const poolLog = (settings: Pick<AppSettings, "namespace">) => (poolLogger ??= makeLogger({ logLevel: "warn", namespace: settings.namespace }, "db"))

/** Ends the pool and waits (at most 2 s) until its connections have closed. */
export async function closeDb(handle: DbHandle): Promise<void> {
  const closed = closedConnections.get(handle.db)
  await handle.db.destroy()
  if (closed === undefined) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([closed(), new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_WAIT_MS) })])
  clearTimeout(timer)
}

/** Runs a read-model query: a failure is a typed DbError carrying what pg said, never a defect. */
export const tryDb = <A>(query: () => Promise<A>): Effect.Effect<A, DbError> =>
  Effect.tryPromise({
    try: query,
    catch: (cause) => new DbError({ message: `read-model query failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause }),
  })

export class Db extends Context.Service<Db, DbHandle>()("admin-kiosk/projections/Db") {
  /** A scoped pool: opened when the layer is built, ended when its scope closes. */
  static readonly layerWithRole = (role: string) =>
    Layer.effect(
      Db,
      Effect.gen(function* () {
        const settings = yield* Settings
        const handle = yield* Effect.acquireRelease(
          Effect.sync(() => openDb(settings, role)),
          (handle) => Effect.promise(() => closeDb(handle)),
        )
        return Db.of(handle)
      }),
    )

  static readonly layer = Db.layerWithRole("app")

  /** Wraps a handle someone else owns (a test's pool); it stays open when the layer is released. */
  static readonly layerFrom = (handle: DbHandle) => Layer.succeed(Db)(handle)
}

export interface DbPoolsShape {
  /** This role's pool, opened on first use and kept for the process's life. */
  forRole(role: string): DbHandle
}

/**
 * The process's Postgres pools, one per role it runs. One process may run every role, but each keeps a pool of its
 * own: a projector's long transactions or a forecaster's fits cannot take the connections the edge's queries need,
 * and `pg_stat_activity.application_name` still says which role a connection serves. All end when the process does.
 */
export class DbPools extends Context.Service<DbPools, DbPoolsShape>()("admin-kiosk/projections/DbPools") {
  static readonly layer = Layer.effect(
    DbPools,
    Effect.gen(function* () {
      const settings = yield* Settings
      const pools = new Map<string, DbHandle>()
      yield* Effect.addFinalizer(() => Effect.promise(() => Promise.all([...pools.values()].map(closeDb))))
      return DbPools.of({
        forRole(role) {
          let handle = pools.get(role)
          if (handle === undefined) pools.set(role, handle = openDb(settings, role))
          return handle
        },
      })
    }),
  )
}

/** Runs `effect` on `role`'s pool: what a role's Db-needing programs are given. */
export const withRolePool = (role: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(DbPools, (pools) => Effect.provideService(effect, Db, pools.forRole(role)))
