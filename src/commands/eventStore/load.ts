// Loading an aggregate: its version from one direct get, its state from a snapshot plus the commits after it.
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import type { KV } from "@nats-io/kv"
import type { Logger, StreamKey } from "../../platform/index.ts"
import type { Stamped } from "../shared/decider.ts"
import { decodeStored, type NewEvent, type StoredCommit } from "./codec.ts"
import { readCommits } from "./replay.ts"
import { readSnapshot, snapshotKey, writeSnapshot } from "./snapshots.ts"
import type { StoreMeter } from "./storeMetrics.ts"
import type { Aggregate, Loaded } from "./types.ts"

export interface LoadDeps {
  readonly js: JetStreamClient
  readonly jsm: JetStreamManager
  readonly snapshots: KV
  readonly streamName: (key: StreamKey) => string
  readonly meter: StoreMeter
  readonly log: Logger
  /** Write a snapshot once a load had to replay more commits than this. */
  readonly snapshotAfter: number
}

/**
 * Short histories are read with direct gets (one request per commit, no server-side consumer to create and
 * delete); past this many, an ordered consumer streams the rest.
 */
const DIRECT_STEPS = 3

/** A stored commit's events folded into `state`, each with the commit's time. */
export function evolveCommit<State, Event extends NewEvent>(aggregate: Pick<Aggregate<State, Event>, "evolve">, state: State, stored: StoredCommit): State {
  let next = state
  for (const event of stored.recorded) next = aggregate.evolve(next, { type: event.type, data: event.data, time: event.time } as Stamped<Event>)
  return next
}

export async function loadAggregate<State, Event extends NewEvent>(
  deps: LoadDeps,
  aggregate: Aggregate<State, Event>,
  stream: StreamKey,
  subject: string,
  signal?: AbortSignal,
  /** A state this caller folded before (a retry after a lost race): catch up from it instead of a snapshot. */
  known?: Loaded<State>,
): Promise<Loaded<State>> {
  const key = snapshotKey(aggregate, subject)
  const [version, snapshot] = await Promise.all([
    lastSequenceOf(deps, stream, subject),
    known === undefined ? countRead(deps, stream, "snapshot", readSnapshot<State>(deps.snapshots, key)) : undefined,
  ])
  if (version === 0) return { state: aggregate.initialState(), version }
  // A snapshot ahead of the subject belongs to an earlier life of the stream (restored, recreated): ignore it.
  const base = [known, snapshot].find((b) => b !== undefined && b.version <= version)
  if (base !== undefined && base.version === version) return { state: base.state, version }

  let state = base?.state ?? aggregate.initialState()
  let replayed = 0
  for await (const stored of readSubject(deps, stream, subject, (base?.version ?? 0) + 1, version, signal)) {
    state = evolveCommit(aggregate, state, stored)
    replayed++
  }
  if (replayed > deps.snapshotAfter && known === undefined) {
    await writeSnapshot(deps.snapshots, key, { version, state }, snapshot?.revision)
      .then((stored) => stored && deps.meter.snapshotWritten(stream))
      .catch((error: unknown) => deps.log.warn({ err: error, subject }, "could not write a snapshot; the next load replays again"))
  }
  return { state, version }
}

/** The subject's last stream sequence, 0 when it has none. */
export async function lastSequenceOf(deps: Pick<LoadDeps, "jsm" | "streamName" | "meter">, stream: StreamKey, subject: string): Promise<number> {
  const last = await countRead(deps, stream, "direct", deps.jsm.direct.getMessage(deps.streamName(stream), { last_by_subj: subject }))
  return last?.seq ?? 0
}

/** Commits of one subject from `fromSeq` to `untilSeq` (both stream sequences, inclusive), in order. */
export async function* readSubject(
  deps: LoadDeps,
  stream: StreamKey,
  subject: string,
  fromSeq: number,
  untilSeq: number,
  signal?: AbortSignal,
): AsyncGenerator<StoredCommit> {
  let next = fromSeq
  for (let step = 0; step < DIRECT_STEPS && next <= untilSeq; step++) {
    const m = await countRead(deps, stream, "direct", deps.jsm.direct.getMessage(deps.streamName(stream), { next_by_subj: subject, seq: next }))
    if (m === null || m.seq > untilSeq) return
    yield decodeStored(m.data, { stream, subject: m.subject, seq: m.seq })
    next = m.seq + 1
  }
  if (next > untilSeq) return
  yield* readCommits(deps.js, {
    stream,
    streamName: deps.streamName(stream),
    subject,
    fromSeq: next,
    untilSeq,
    signal,
    onRead: () => deps.meter.read(stream, "replay"),
  })
}

async function countRead<A>(deps: Pick<LoadDeps, "meter">, stream: StreamKey, kind: "direct" | "snapshot", read: Promise<A>): Promise<A> {
  const result = await read
  deps.meter.read(stream, kind)
  return result
}
