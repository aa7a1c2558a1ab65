// The live projector of one read model: a durable pull consumer whose batches are applied exactly once.
//
// Each batch runs in one Postgres transaction that takes the projection's advisory lock, reads the checkpoint,
// applies only events above it and moves it with compare-and-set; messages are acked only after the commit.
// Redelivery, a crash between commit and ack, and two processes on the same consumer therefore all end where
// one clean pass would. Batches must start right after the checkpoint: when they don't (a dead process's
// unacked messages are still waiting out their ack_wait, or another process holds them), the missing range is
// read straight from the stream, so nothing is skipped and nothing waits. An event that cannot be applied for a
// permanent reason is parked in the same transaction (applyOrPark.ts); a transient failure retries the batch.
import { AckPolicy, DeliverPolicy, JetStreamApiError, type JsMsg } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import type { Logger, Naming, NatsClients } from "../../platform/index.ts"
import type { DbHandle } from "../db.ts"
import { applyOrPark, withIsolation } from "./applyOrPark.ts"
import { describe } from "./failures.ts"
import { advanceCheckpoint, ensureCheckpoint, lockProjection, readCheckpoint } from "./checkpoints.ts"
import { projectionMetrics as metrics } from "./metrics.ts"
import { park, type ParkedMessage, reportParked } from "./parking.ts"
import type { Projection } from "./projection.ts"
import { decodeMessage } from "./recorded.ts"
import { readStream } from "./streamReader.ts"

export interface ProjectorDeps {
  readonly db: DbHandle
  readonly nats: Pick<NatsClients, "js" | "jsm">
  readonly names: Naming
  readonly logger: Logger
}

export interface ProjectorOptions {
  /** Most messages applied in one transaction. */
  readonly maxBatch?: number
  /** How long the server waits for an ack before redelivering; only used when the durable consumer is created. */
  readonly ackWaitMs?: number
}

export interface RunningProjector {
  readonly name: string
  /** True while its durable consumer is bound and delivering (readiness). */
  bound(): boolean
  /** Stops taking messages, lets the batch in hand finish (or its retry give up), and resolves. */
  stop(): Promise<void>
}

/** Another transaction moved the checkpoint first: roll back, re-read it, carry on (that one applied these events). */
class CheckpointMoved extends Error {
  override readonly name = "CheckpointMoved"
}

const ACK_WAIT_MS = 60_000
const API_CONSUMER_NOT_FOUND = 10014

export interface Applied {
  /** The checkpoint the batch found. */
  readonly from: number
  /** The checkpoint it left (= from when everything in it was applied already). */
  readonly to: number
  readonly events: number
  /** Messages parked instead of applied (the checkpoint moved past them all the same). */
  readonly parked: ReadonlyArray<ParkedMessage>
}

/**
 * Applies delivered messages exactly once, in one transaction: lock, read the checkpoint, apply what lies above
 * it (with any gap before them read from the stream), compare-and-set the checkpoint. When another transaction
 * moved the checkpoint first, rolls back and starts over from the new one; when the batch fails for a permanent
 * reason, rolls back and applies it message by message, parking the ones that fail. The caller acks after it
 * resolves.
 */
export async function applyMessages(projection: Projection, deps: Omit<ProjectorDeps, "logger"> & Partial<Pick<ProjectorDeps, "logger">>,
  batch: ReadonlyArray<JsMsg>): Promise<Applied> {
  const { db, nats, names } = deps
  const stream = names.stream(projection.stream)
  for (;;) {
    try {
      return await withIsolation((isolate) => db.db.transaction().execute(async (trx) => {
        await lockProjection(trx, db.schema, projection.name)
        const from = await readCheckpoint(trx, projection.name)
        let fresh: ReadonlyArray<JsMsg> = batch.filter((m) => m.seq > from).toSorted((a, b) => a.seq - b.seq)
        if (fresh.length === 0) return { from, to: from, events: 0, parked: [] }
        if (!startsAt(fresh, from + 1)) {
          fresh = await withGapFilled(nats, stream, fresh, from)
          deps.logger?.debug({ projection: projection.name, from, upTo: fresh.at(-1)!.seq, delivered: batch.length, applied: fresh.length },
            "filled a gap from the stream")
        }
        const decoded = fresh.map((msg) => decodeMessage(msg, projection.stream))
        const { events, parked } = await applyOrPark(trx, projection, decoded, {
          isolate, park: (message) => park(trx, db.schema, projection.name, stream, message),
        })
        const to = fresh.at(-1)!.seq
        if (!(await advanceCheckpoint(trx, projection.name, from, to))) throw new CheckpointMoved()
        return { from, to, events, parked }
      }), (error) => deps.logger?.warn({ projection: projection.name, cause: describe(error.cause ?? error) },
        "batch failed for a permanent reason; applying it message by message to find what to park"))
    } catch (error) {
      if (!(error instanceof CheckpointMoved)) throw error
      deps.logger?.debug({ projection: projection.name }, "checkpoint moved under this batch; re-reading it")
    }
  }
}

/** The messages plus whatever the stream holds between the checkpoint and their end, in order, once each. */
async function withGapFilled(nats: ProjectorDeps["nats"], stream: string, fresh: ReadonlyArray<JsMsg>, from: number): Promise<ReadonlyArray<JsMsg>> {
  const bySeq = new Map(fresh.map((m) => [m.seq, m] as const))
  const upTo = fresh.at(-1)!.seq
  for await (const read of readStream(nats.js, nats.jsm, stream, from + 1, { upTo })) {
    for (const m of read) if (m.seq <= upTo) bySeq.set(m.seq, m)
  }
  return [...bySeq.values()].toSorted((a, b) => a.seq - b.seq)
}

export async function startProjector(projection: Projection, deps: ProjectorDeps, options: ProjectorOptions = {}): Promise<RunningProjector> {
  const { db, nats, names } = deps
  const maxBatch = options.maxBatch ?? 500
  const stream = names.stream(projection.stream)
  const durable = names.consumer("projection", projection.name)
  const log = deps.logger.child({ projection: projection.name })
  const label = { projection: projection.name }

  const checkpoint = await ensureCheckpoint(db.db, projection.name, stream)
  await ensureDurable(nats.jsm, stream, durable, checkpoint, projection.name, options.ackWaitMs ?? ACK_WAIT_MS)
  const consumer = await nats.js.consumers.get(stream, durable)
  const messages = await consumer.consume({ max_messages: maxBatch * 2 })
  let stopping = false

  async function applyBatch(batch: ReadonlyArray<JsMsg>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const timer = metrics.batchSeconds.startTimer(label)
      try {
        const { from, to, events, parked } = await applyMessages(projection, deps, batch)
        const seconds = timer()
        log.debug({ messages: batch.length, events, from, to, ms: Math.round(seconds * 1000) }, "batch applied")
        if (parked.length > 0) await reportParked({ log, db }, projection.name, stream, parked)
        metrics.applied.inc(label, events)
        metrics.checkpoint.set(label, to)
        const last = batch.reduce((a, b) => (b.seq > a.seq ? b : a))
        // pending = what the consumer still holds after the newest message here: the lag, without a round trip.
        metrics.streamLast.set(label, Math.max(to, last.seq + last.info.pending))
        metrics.lag.set(label, Math.max(0, last.seq + last.info.pending - to))
        await acknowledge(batch)
        return
      } catch (error) {
        if (stopping) return
        const waitMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))
        log.error({ err: error, attempt, waitMs, seqs: [batch[0]?.seq, batch.at(-1)?.seq] }, "projection batch failed; retrying")
        await sleep(waitMs)
        if (stopping) return
      }
    }
  }

  // Acks are confirmed (ackAck) so that a redelivery after a successful commit stays the exception.
  async function acknowledge(batch: ReadonlyArray<JsMsg>): Promise<void> {
    const results = await Promise.allSettled(batch.map((m) => m.ackAck()))
    const failed = results.filter((r) => r.status === "rejected").length
    if (failed > 0) log.warn({ failed }, "acks not confirmed; those messages will come back and be skipped")
  }

  // The pump takes messages as they arrive; the applier takes everything buffered at once when it is free, so
  // batches are small when traffic is light and full while catching up. The server's max_ack_pending bounds
  // the buffer.
  const buffer: Array<JsMsg> = []
  let wake: (() => void) | undefined
  let drained = false
  const pump = (async () => {
    for await (const msg of messages) {
      buffer.push(msg)
      wake?.()
    }
  })().catch((error: unknown) => log.error({ err: error }, "projector's consumer failed")).finally(() => {
    drained = true
    wake?.()
  })
  const loop = (async () => {
    while (!stopping) {
      if (buffer.length === 0) {
        if (drained) break
        await new Promise<void>((resolve) => { wake = resolve })
        wake = undefined
        // Let the messages that arrived in the same read reach the buffer before cutting the batch.
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      await applyBatch(buffer.splice(0, maxBatch))
    }
  })().catch((error: unknown) => log.error({ err: error }, "projector stopped on an error"))

  log.info({ stream, durable, checkpoint }, "projector started")
  return {
    name: projection.name,
    bound: () => !drained && !stopping,
    async stop() {
      stopping = true
      await messages.close()
      wake?.()
      await Promise.all([pump, loop])
    },
  }
}

function startsAt(sorted: ReadonlyArray<JsMsg>, seq: number): boolean {
  for (let i = 0; i < sorted.length; i++) if (sorted[i]!.seq !== seq + i) return false
  return true
}

/** Creates the durable consumer if it is missing, starting right after the checkpoint (a fresh consumer on an
 *  old read model doesn't redeliver the whole stream only to skip it). */
async function ensureDurable(jsm: ProjectorDeps["nats"]["jsm"], stream: string, durable: string, checkpoint: number, name: string, ackWaitMs: number) {
  const exists = () => jsm.consumers.info(stream, durable).then(() => true, (error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === API_CONSUMER_NOT_FOUND) return false
    throw error
  })
  if (await exists()) return
  const start = checkpoint === 0
    ? { deliver_policy: DeliverPolicy.All }
    : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: checkpoint + 1 }
  try {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      description: `read model ${name}`,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitMs),
      max_ack_pending: 10_000,
      max_deliver: -1,
      ...start,
    })
  } catch (error) {
    // Another process created it between our look and our create (perhaps from another checkpoint): use theirs.
    if (!(await exists())) throw error
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
