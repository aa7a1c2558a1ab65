// Rebuilds one read model from its whole stream without stopping the live one.
//
// 1. Clone the projection's tables, empty, into a shadow schema (same columns, constraints and index names).
// 2. Replay the stream from its first message into the shadow, batch by batch, until caught up.
// 3. In one transaction: take the projection's advisory lock (the live projector holds it per batch, so it now
//    waits), apply what arrived since, swap the shadow tables in, and set the checkpoint to the last applied
//    sequence. The live projector resumes above that checkpoint: nothing lost, nothing applied twice.
// Events are parked as the live projector parks them (applyOrPark.ts); those an operator skipped stay out, and
// parked ones that apply this time (the code was fixed) are marked retried by the rebuild.
import { type Kysely, sql, type Transaction } from "kysely"
import type { JsMsg } from "@nats-io/jetstream"
import type { Logger, Naming, NatsClients } from "../../platform/index.ts"
import type { Database, DbHandle, TableName } from "../db.ts"
import { RebuildBusy } from "../errors.ts"
import { applyOrPark, type BatchOutcome, type NeedsIsolation, withIsolation } from "./applyOrPark.ts"
import { describe } from "./failures.ts"
import { lockProjection, setCheckpoint } from "./checkpoints.ts"
import { projectionMetrics as metrics } from "./metrics.ts"
import { park, reportParked, resolveReplayed, skippedSeqs } from "./parking.ts"
import type { Projection } from "./projection.ts"
import { type DecodedMessage, decodeMessage } from "./recorded.ts"
import { readStream } from "./streamReader.ts"

export interface RebuildDeps {
  readonly db: DbHandle
  readonly nats: Pick<NatsClients, "js" | "jsm">
  readonly names: Naming
  readonly logger: Logger
}

export interface RebuildProgress {
  readonly projection: string
  /** Messages replayed so far. */
  readonly done: number
  /** Messages replayed plus those the stream holds after the last one (grows while traffic keeps coming). */
  readonly total: number
  readonly events: number
}

export interface RebuildOptions {
  /** Most messages per shadow transaction. */
  readonly maxBatch?: number
  /** Most messages replayed between two flushes of what the replay holds back: bounds its memory on a long log. */
  readonly flushEvery?: number
  readonly onProgress?: (progress: RebuildProgress) => void
  readonly signal?: AbortSignal
}

export interface RebuildResult {
  readonly projection: string
  readonly messages: number
  readonly events: number
  /** The checkpoint the swapped-in model starts from. */
  readonly checkpoint: number
  readonly seconds: number
  readonly eventsPerSecond: number
}


export async function rebuildProjection(projection: Projection, deps: RebuildDeps, options: RebuildOptions = {}): Promise<RebuildResult> {
  const { schema } = deps.db
  const shadow = `${schema}__rebuild_${projection.name}`
  const stream = deps.names.stream(projection.stream)
  const log = deps.logger.child({ projection: projection.name, rebuild: true })
  const started = performance.now()
  let messages = 0
  let events = 0
  let position = 0
  let total = 0

  const skipped = await skippedSeqs(deps.db.db, schema, projection.name)
  const parkedAgain = new Set<number>()
  /**
   * A batch's messages decoded (skipped ones left out), handing the event loop back every SLICE messages: decoding
   * the next batch in one piece would hold back Postgres's replies to the batch being applied (and so its next
   * statement), and Postgres would sit idle.
   */
  const decode = async (batch: ReadonlyArray<JsMsg>): Promise<Decoded> => {
    const messages: Array<DecodedMessage> = []
    for (let i = 0; i < batch.length; i++) {
      if (i % SLICE === SLICE - 1) await new Promise((resolve) => setImmediate(resolve))
      const msg = batch[i]!
      if (!skipped.has(msg.seq)) messages.push(decodeMessage(msg, projection.stream))
    }
    return { batch, messages }
  }
  const replay = projection.replay?.()
  const replaying: Projection = replay === undefined ? projection : { ...projection, apply: replay.apply }
  const applyAll = (trx: Transaction<Database>, { messages: decoded }: Decoded, isolate: boolean, into = projection) =>
    applyOrPark(trx, into, decoded, { isolate, park: (message) => park(trx, schema, projection.name, stream, message) })
  /** After the commit that applied it: a batch counts, and what it parked is reported. */
  const count = async ({ batch }: Decoded, outcome: BatchOutcome) => {
    events += outcome.events
    messages += batch.length
    position = Math.max(position, batch.at(-1)?.seq ?? 0)
    const last = batch.at(-1)
    if (last !== undefined) total = Math.max(total, messages + last.info.pending)
    metrics.rebuildApplied.inc({ projection: projection.name }, batch.length)
    for (const p of outcome.parked) parkedAgain.add(p.seq)
    if (outcome.parked.length > 0) await reportParked({ log, db: deps.db }, projection.name, stream, outcome.parked)
  }
  const onIsolate = (error: NeedsIsolation) =>
    log.warn({ cause: describe(error.cause ?? error) }, "batch failed for a permanent reason; applying it message by message to find what to park")
  const report = () => options.onProgress?.({ projection: projection.name, done: messages, total: Math.max(total, messages), events })
  const intoShadow = (trx: Transaction<Database>) => sql`set local search_path = ${sql.id(shadow)}`.execute(trx)

  // One connection for the whole rebuild: it holds the session lock that keeps a second rebuild of this model out.
  return deps.db.db.connection().execute(async (conn) => {
    // What the replay holds back (running totals) goes into the shadow in a transaction of its own. A failure fails
    // the rebuild (the shadow is dropped), so nothing held is ever lost or written twice into a model that swaps in.
    let flushedAt = 0
    const flushReplay = async () => {
      flushedAt = messages
      if (replay === undefined) return
      await conn.transaction().execute(async (trx) => {
        await intoShadow(trx)
        await replay.flush(trx)
      })
    }
    const lockKey = `${schema}.rebuild.${projection.name}`
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked`.execute(conn)
    if (!rows[0]?.locked) throw new RebuildBusy({ message: `a rebuild of ${projection.name} is already running`, projection: projection.name })
    try {
      const deferredIndexes = await cloneEmpty(conn, schema, shadow, projection.tables)
      total = (await deps.nats.jsm.streams.info(stream)).state.messages
      report()
      log.info({ stream, shadow, messages: total }, "rebuild started")

      // Decoding the next batch overlaps with Postgres applying this one.
      const batches = readStream(deps.nats.js, deps.nats.jsm, stream, 1, { maxBatch: options.maxBatch ?? 2_000, signal: options.signal })
      const prefetch = () => {
        const next = batches.next().then((r) => (r.done === true ? undefined : decode(r.value)))
        next.catch(() => undefined) // awaited below; this only keeps a failure during the apply from going unhandled
        return next
      }
      try {
        for (let next = prefetch(), current = await next; current !== undefined && !options.signal?.aborted; current = await next) {
          next = prefetch()
          const batch = current
          const outcome = await withIsolation((isolate) => conn.transaction().execute(async (trx) => {
            await intoShadow(trx)
            // A shadow batch lost to a crash is harmless (the rebuild starts over), so don't wait for its fsync.
            await sql`set local synchronous_commit = off`.execute(trx)
            return applyAll(trx, batch, isolate, replaying)
          }), onIsolate)
          await count(batch, outcome)
          report()
          if (messages - flushedAt >= (options.flushEvery ?? 100_000)) await flushReplay()
        }
      } finally {
        await batches.return(undefined)
      }
      if (options.signal?.aborted) throw new Error(`rebuild of ${projection.name} interrupted`, { cause: options.signal.reason })
      await flushReplay()
      // Secondary indexes are built once over the loaded rows, before the swap, rather than grown row by row.
      await buildIndexes(deps.db.db, deferredIndexes)

      const tail = await withIsolation((isolate) => conn.transaction().execute(async (trx) => {
        await lockProjection(trx, schema, projection.name)
        await intoShadow(trx)
        const applied: Array<[Decoded, BatchOutcome]> = []
        let upTo = position
        for await (const batch of readStream(deps.nats.js, deps.nats.jsm, stream, position + 1)) {
          const decoded = await decode(batch)
          applied.push([decoded, await applyAll(trx, decoded, isolate)])
          upTo = Math.max(upTo, batch.at(-1)?.seq ?? 0)
        }
        await sql`set local search_path = ${sql.id(schema)}`.execute(trx)
        for (const table of projection.tables) {
          await sql`drop table ${sql.id(schema, table)}`.execute(trx)
          await sql`alter table ${sql.id(shadow, table)} set schema ${sql.id(schema)}`.execute(trx)
        }
        await sql`drop schema ${sql.id(shadow)}`.execute(trx)
        await setCheckpoint(trx, projection.name, stream, upTo)
        const parkedNow = new Set([...parkedAgain, ...applied.flatMap(([, o]) => o.parked.map((p) => p.seq))])
        await resolveReplayed(trx, schema, projection.name, upTo, parkedNow)
        return applied
      }), onIsolate)
      for (const [decoded, outcome] of tail) await count(decoded, outcome)
      report()
      const seconds = (performance.now() - started) / 1000
      const result = { projection: projection.name, messages, events, checkpoint: position, seconds, eventsPerSecond: events / seconds }
      log.info(result, "rebuild swapped in")
      return result
    } catch (error) {
      await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(conn).catch(() => undefined)
      throw error
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(conn)
    }
  })
}

/**
 * Creates `tables` empty in `to`, shaped as in `from`: columns, defaults and checks by LIKE, then every key under
 * its own name, so that after the swap the model looks exactly as migrations left it. The other indexes are
 * returned as DDL, to be created once the rows are in.
 */
async function cloneEmpty(db: Kysely<Database>, from: string, to: string, tables: ReadonlyArray<TableName>): Promise<ReadonlyArray<string>> {
  const deferred: Array<string> = []
  await sql`drop schema if exists ${sql.id(to)} cascade`.execute(db)
  await sql`create schema ${sql.id(to)}`.execute(db)
  for (const table of tables) {
    // Logged while it loads: the replay is bound by Node's CPU, so Postgres writes each row's WAL while Node
    // decodes the next batch. Loaded unlogged, the table had to be rewritten into the WAL once the replay was done
    // (SET LOGGED, ~0.45 s per 100,000 payments that nothing overlapped): 25,000 → 26,900 events/s in interleaved runs.
    await sql`create table ${sql.id(to, table)} (like ${sql.id(from, table)} including all excluding indexes)`.execute(db)
    const { rows } = await sql<{ index_name: string; index_def: string; constraint_def: string | null }>`
      select i.relname as index_name, pg_get_indexdef(x.indexrelid) as index_def, pg_get_constraintdef(c.oid) as constraint_def
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = t.oid
      where n.nspname = ${from} and t.relname = ${table}`.execute(db)
    for (const index of rows) {
      if (index.constraint_def !== null) {
        await sql`alter table ${sql.id(to, table)} add constraint ${sql.id(index.index_name)} ${sql.raw(index.constraint_def)}`.execute(db)
      } else {
        // "CREATE INDEX name ON [schema.]table USING …": point it at the shadow table, keep the name.
        deferred.push(index.index_def.replace(/ ON (ONLY )?\S+ USING /, ` ON "${to}"."${table}" USING `))
      }
    }
  }
  return deferred
}

/**
 * Builds the deferred indexes (DDL) of the loaded shadow tables. They are independent of each other, so each goes
 * on its own pooled connection, and Postgres builds them side by side.
 */
async function buildIndexes(db: Kysely<Database>, indexes: ReadonlyArray<string>): Promise<void> {
  await Promise.all(indexes.map((ddl) => sql.raw(ddl).execute(db)))
}

/** Messages decoded between two looks at the event loop: about 2 ms of work. */
const SLICE = 250

interface Decoded {
  readonly batch: ReadonlyArray<JsMsg>
  /** The batch less what an operator skipped, decoded. */
  readonly messages: ReadonlyArray<DecodedMessage>
}
