// The event store on JetStream: one subject per aggregate, one message per decision, optimistic concurrency on
// the subject's last sequence (`Nats-Expected-Last-Subject-Sequence`), idempotency on the commit id (`Nats-Msg-Id`).
import { JetStreamApiCodes } from "@nats-io/jetstream"
import { Context, Effect, Layer, Result } from "effect"
import {
  type AppSettings, AUDIT_KEY_ID_HEADER, AUDIT_MAC_HEADER, type AuditKeys, auditKeys, makeLogger, type Naming, naming, Nats, type NatsClients, newId, paymentMacInput, Settings, type StreamKey,
} from "../../platform/index.ts"
import type { CommandContext, Recorded } from "../shared/envelope.ts"
import { Conflict, type DomainError } from "../shared/errors.ts"
import { decodeStored, makeCommit, type NewEvent, recordedOf, type StoredCommit } from "./codec.ts"
import { appendHeaders, type HeaderEntries } from "./headers.ts"
import { PipelinedPublisher } from "./publisher.ts"
import { CorruptEvent, StoreUnavailable, WrongExpectedVersion } from "./errors.ts"
import { evolveCommit, lastSequenceOf, loadAggregate, type LoadDeps } from "./load.ts"
import { provisionStreams, STORE_BUCKETS } from "./provision.ts"
import { readCommits } from "./replay.ts"
import { makeStoreMeter, type StoreStats } from "./storeMetrics.ts"
import type {
  Aggregate, AggregateDecider, AppendOptions, Appended, EventsToAppend, Handled, HandleOptions, Loaded, ReplayOptions, Target,
} from "./types.ts"

export interface EventStoreOptions {
  /** Write a snapshot after a load replayed more than this many commits. Default 20. */
  readonly snapshotAfter?: number | undefined
  /** Create or update the streams and buckets when the store opens. Default true. */
  readonly provision?: boolean | undefined
  /** Stream replicas when provisioning (1 on one server, 3 in production). Default: the settings' STREAM_REPLICAS. */
  readonly replicas?: number | undefined
}

export interface EventStoreShape {
  readonly naming: Naming
  append(stream: StreamKey, subject: string, events: EventsToAppend, options: AppendOptions): Effect.Effect<Appended, WrongExpectedVersion | StoreUnavailable>
  load<State, Event extends NewEvent>(aggregate: Aggregate<State, Event>, stream: StreamKey, subject: string): Effect.Effect<Loaded<State>, StoreUnavailable>
  handle<State, Command, Event extends NewEvent, Error extends DomainError>(
    decider: AggregateDecider<State, Command, Event, Error>,
    target: Target,
    command: Command,
    context: CommandContext,
    options?: HandleOptions<State>,
  ): Effect.Effect<Handled<State, Event>, Error | Conflict | StoreUnavailable>
  /** The subject's first commit (one direct get), e.g. the original answer to a retried request. */
  first(stream: StreamKey, subject: string): Effect.Effect<StoredCommit | undefined, StoreUnavailable>
  /** The stream's last sequence now (0 when empty). */
  lastSequence(stream: StreamKey): Effect.Effect<number, StoreUnavailable>
  /** Commits in stream order; with `untilEnd` it ends at the last sequence as of the call, else it follows live. */
  replay(stream: StreamKey, options?: ReplayOptions): AsyncIterable<StoredCommit>
  /** What this store instance has read and appended so far. */
  stats(): StoreStats
}

export class EventStore extends Context.Service<EventStore, EventStoreShape>()("admin-kiosk/commands/EventStore") {
  static readonly layerWith = (options: EventStoreOptions = {}) =>
    Layer.effect(
      EventStore,
      Effect.gen(function* () {
        const clients = yield* Nats
        const settings = yield* Settings
        return yield* openEventStore(clients, settings, options)
      }),
    )

  static readonly layer = EventStore.layerWith()
}

const PUBLISH_TIMEOUT_MS = 5_000
/** Publishes retried on timeout / no responders (a leader election); the same msg id makes a retry safe. */
const PUBLISH_ATTEMPTS = 4
/** A load that takes longer than this is stuck (a vanished message the ordered consumer waits for). */
const LOAD_TIMEOUT_MS = 30_000

/** Builds the store on open clients (the layer does this; scripts and tests may call it directly). */
export const openEventStore = (clients: Pick<NatsClients, "nc" | "js" | "jsm" | "kvm">,
  settings: Pick<AppSettings, "namespace" | "logLevel" | "auditKey" | "auditKeyId" | "auditKeysPrevious"> & Partial<Pick<AppSettings, "streamReplicas">>,
  options: EventStoreOptions = {}) =>
  Effect.tryPromise({
    try: async () => {
      const names = naming(settings.namespace)
      const log = makeLogger(settings, "event-store")
      if (options.provision !== false) {
        await provisionStreams(clients.jsm, names, { replicas: options.replicas ?? settings.streamReplicas, log })
      }
      const snapshots = await clients.kvm.open(names.bucket(STORE_BUCKETS.snapshots))
      return makeStore({
        js: clients.js,
        jsm: clients.jsm,
        snapshots,
        streamName: (key) => names.stream(key),
        meter: makeStoreMeter(),
        log,
        snapshotAfter: options.snapshotAfter ?? 20,
      }, names, auditKeys(settings), new PipelinedPublisher(clients.nc, { timeoutMs: PUBLISH_TIMEOUT_MS, attempts: PUBLISH_ATTEMPTS }))
    },
    catch: (cause) => new StoreUnavailable({ message: `cannot open the event store: ${describe(cause)}`, cause }),
  })

function makeStore(deps: LoadDeps, names: Naming, keys: AuditKeys, publisher: PipelinedPublisher): EventStoreShape {
  const { js, jsm, meter, log } = deps

  /** Runs a NATS call: CorruptEvent is a defect (logged loudly), `expected` errors stay typed, the rest is unavailability. */
  const call = <A, E = never>(what: string, run: (signal: AbortSignal) => Promise<A>, expected?: (e: unknown) => e is E) =>
    Effect.tryPromise({ try: run, catch: (cause) => cause }).pipe(
      Effect.catch((cause): Effect.Effect<never, E | StoreUnavailable> => {
        if (expected?.(cause)) return Effect.fail(cause)
        if (cause instanceof CorruptEvent) {
          log.error({ err: cause, stream: cause.stream, seq: cause.seq, subject: cause.subject }, "CORRUPT EVENT in the store")
          return Effect.die(cause)
        }
        return Effect.fail(new StoreUnavailable({ message: `${what}: ${describe(cause)}`, cause }))
      }),
    )

  const isWrongVersion = (e: unknown): e is WrongExpectedVersion => e instanceof WrongExpectedVersion

  const append: EventStoreShape["append"] = (stream, subject, events, options) =>
    Effect.gen(function* () {
      const commitId = options.commitId ?? newId("cmt")
      // An invalid or misplaced event is a bug in a decider: a defect, never a stored message.
      const commit = yield* Effect.sync(() => makeCommit(stream, events, commitId, options.context))
      const streamName = deps.streamName(stream)
      const body = new TextEncoder().encode(JSON.stringify(commit))
      return yield* call(`append to ${subject}`, async () => {
        const started = performance.now()
        const elapsed = () => (performance.now() - started) / 1_000
        try {
          const headers: Array<readonly [string, string]> = [["Nats-Msg-Id", commitId], ["Nats-Expected-Stream", streamName]]
          if (options.expectedVersion !== "any") headers.push(["Nats-Expected-Last-Subject-Sequence", String(options.expectedVersion)])
          if (stream === "PAYMENTS") headers.push(...paymentMac(keys, subject, commitId, body))
          const ack = await publisher.publish(subject, body, appendHeaders(headers), options.writeNow === true)
          if (!ack.ok) {
            if (ack.errCode === JetStreamApiCodes.StreamWrongLastSequence) {
              meter.appended(stream, "wrong_version", elapsed())
              const actual = /(\d+)\s*$/.exec(ack.description)?.[1]
              throw new WrongExpectedVersion({
                message: `${subject} moved on since version ${options.expectedVersion}`,
                subject,
                expected: options.expectedVersion === "any" ? -1 : options.expectedVersion,
                ...(actual === undefined ? {} : { actual: Number(actual) }),
              })
            }
            throw new Error(`JetStream refused the append to ${subject}: ${ack.description} (${ack.errCode})`)
          }
          if (!ack.duplicate) {
            meter.appended(stream, "appended", elapsed())
            // The commit in hand is what was stored: its events are read back as any reader decodes them, without
            // parsing our own JSON again.
            return { seq: ack.seq, duplicate: false, recorded: recordedOf(commit, { stream, subject, seq: ack.seq }) }
          }
          // Appended before (a retried request): answer with what was stored then, not with this attempt.
          meter.appended(stream, "duplicate", elapsed())
          const original = await jsm.direct.getMessage(streamName, { seq: ack.seq })
          meter.read(stream, "direct")
          if (original === null) throw new Error(`duplicate of ${commitId} at seq ${ack.seq} cannot be read back`)
          return { seq: ack.seq, duplicate: true, recorded: decodeStored(original.data, { stream, subject: original.subject, seq: ack.seq }).recorded }
        } catch (error) {
          if (!(error instanceof CorruptEvent || error instanceof WrongExpectedVersion)) meter.appended(stream, "failed", elapsed())
          throw error
        }
      }, isWrongVersion)
    })

  const loadFrom = <State, Event extends NewEvent>(aggregate: Aggregate<State, Event>, stream: StreamKey, subject: string, known?: Loaded<State>) =>
    call(`load ${subject}`, (signal) => loadAggregate(deps, aggregate, stream, subject, signal, known)).pipe(
      Effect.timeoutOrElse({
        duration: LOAD_TIMEOUT_MS,
        orElse: () => Effect.fail(new StoreUnavailable({ message: `load ${subject}: timed out`, cause: null })),
      }),
    )

  const load: EventStoreShape["load"] = (aggregate, stream, subject) => loadFrom(aggregate, stream, subject)

  const handle = <State, Command, Event extends NewEvent, Error extends DomainError>(
    decider: AggregateDecider<State, Command, Event, Error>,
    target: Target,
    command: Command,
    context: CommandContext,
    options: HandleOptions<State> = {},
  ): Effect.Effect<Handled<State, Event>, Error | Conflict | StoreUnavailable> =>
    Effect.gen(function* () {
      const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
      if (options.expectNew) {
        const fresh = yield* appendToNew(decider, target, command, context, options)
        if (fresh !== undefined) return fresh
        if (options.expectNew === "retry-from-first") {
          const retried = yield* decideOnFirst(decider, target, command)
          if (retried !== undefined) return retried
        }
      }
      let known: Loaded<State> | undefined
      for (let attempt = 1; ; attempt++) {
        // After a lost race only the commits that beat us are read, on top of what we already folded; the first
        // round decides on what the caller holds, when it holds the aggregate already.
        known = attempt === 1 && options.known !== undefined ? options.known : yield* loadFrom(decider, target.stream, target.subject, known)
        const { state, version } = known
        const decided = decider.decide(command, state)
        if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
        const [first, ...rest] = decided.success
        if (first === undefined) return { state, version, seq: version, events: [] }
        const appended = yield* append(target.stream, target.subject, [first, ...rest], {
          expectedVersion: version,
          commitId: options.commitId,
          context,
        }).pipe(
          Effect.map((a) => a as Appended | undefined),
          Effect.catchTag("WrongExpectedVersion", (lost) => {
            if (attempt >= maxAttempts) {
              return Effect.fail(new Conflict({ message: `${target.subject} kept changing: gave up after ${attempt} attempts (${lost.message})` }))
            }
            meter.retried(target.stream)
            return Effect.sleep(backoff(attempt)).pipe(Effect.as(undefined))
          }),
        )
        if (appended === undefined) continue
        if (appended.duplicate) {
          // Someone (our own earlier try) stored this commit already: report the state as it is now.
          const now = yield* load(decider, target.stream, target.subject)
          return { ...now, seq: appended.seq, events: appended.recorded as ReadonlyArray<Recorded<Event>> }
        }
        return { state: evolveAppended(decider, state, decided.success, appended), version: appended.seq, seq: appended.seq, events: appended.recorded as ReadonlyArray<Recorded<Event>> }
      }
    })

  /** One round trip: the decision on the initial state, appended only if the subject is still empty. */
  const appendToNew = <State, Command, Event extends NewEvent, Error extends DomainError>(
    decider: AggregateDecider<State, Command, Event, Error>,
    target: Target,
    command: Command,
    context: CommandContext,
    options: HandleOptions<State>,
  ): Effect.Effect<Handled<State, Event> | undefined, StoreUnavailable> => {
    const state = decider.initialState()
    const decided = decider.decide(command, state)
    if (Result.isFailure(decided) || decided.success.length === 0) return Effect.succeed(undefined)
    const [first, ...rest] = decided.success
    return append(target.stream, target.subject, [first!, ...rest], { expectedVersion: 0, commitId: options.commitId, context }).pipe(
      Effect.map((appended): Handled<State, Event> | undefined => {
        if (appended.duplicate) return undefined
        return { state: evolveAppended(decider, state, decided.success, appended), version: appended.seq, seq: appended.seq, events: appended.recorded as ReadonlyArray<Recorded<Event>> }
      }),
      Effect.catchTag("WrongExpectedVersion", () => Effect.succeed(undefined)),
    )
  }

  /**
   * After `appendToNew` did not append: the decision on the subject's first commit (a retry answered by the original),
   * or on the initial state when there is none (its refusal stands). Undefined: neither settles it, load as usual.
   */
  const decideOnFirst = <State, Command, Event extends NewEvent, Error extends DomainError>(
    decider: AggregateDecider<State, Command, Event, Error>,
    target: Target,
    command: Command,
  ): Effect.Effect<Handled<State, Event> | undefined, Error | StoreUnavailable> =>
    Effect.flatMap(first(target.stream, target.subject), (original) => {
      const state = original === undefined ? decider.initialState() : evolveCommit(decider, decider.initialState(), original)
      const decided = decider.decide(command, state)
      if (Result.isFailure(decided)) return Effect.fail(decided.failure)
      if (original === undefined || decided.success.length > 0) return Effect.succeed(undefined)
      return Effect.succeed({ state, version: original.seq, seq: original.seq, events: [] })
    })

  const first: EventStoreShape["first"] = (stream, subject) =>
    call(`first commit of ${subject}`, async () => {
      const m = await jsm.direct.getMessage(deps.streamName(stream), { next_by_subj: subject, seq: 1 })
      meter.read(stream, "direct")
      return m === null ? undefined : decodeStored(m.data, { stream, subject: m.subject, seq: m.seq })
    })

  const lastSequence: EventStoreShape["lastSequence"] = (stream) =>
    call(`last sequence of ${stream}`, async () => (await jsm.streams.info(deps.streamName(stream))).state.last_seq)

  async function* replay(stream: StreamKey, options: ReplayOptions = {}): AsyncGenerator<StoredCommit> {
    let untilSeq: number | undefined
    if (options.untilEnd) {
      untilSeq = options.subject === undefined || /[*>]/.test(options.subject)
        ? (await jsm.streams.info(deps.streamName(stream))).state.last_seq
        : await lastSequenceOf(deps, stream, options.subject)
      if (untilSeq === 0) return
    }
    try {
      yield* readCommits(js, {
        stream,
        streamName: deps.streamName(stream),
        subject: options.subject,
        fromSeq: options.fromSeq,
        untilSeq,
        signal: options.signal,
        onRead: () => meter.read(stream, "replay"),
      })
    } catch (error) {
      if (error instanceof CorruptEvent) log.error({ err: error, stream, seq: error.seq, subject: error.subject }, "CORRUPT EVENT in the store")
      throw error
    }
  }

  return { naming: names, append, load, handle, first, lastSequence, replay, stats: () => meter.snapshot() }
}

/** The payment message's MAC headers: the one place a payment is signed (audit verify checks them). */
function paymentMac(keys: AuditKeys, subject: string, msgId: string, body: Uint8Array): HeaderEntries {
  const { keyId, mac } = keys.mac(paymentMacInput(subject, msgId, body))
  return [[AUDIT_KEY_ID_HEADER, keyId], [AUDIT_MAC_HEADER, mac]]
}

/** The state after our own append: the decided events folded as the store will read them back, with the commit's time. */
function evolveAppended<State, Event extends NewEvent>(
  decider: Pick<Aggregate<State, Event>, "evolve">,
  state: State,
  events: ReadonlyArray<Event>,
  appended: Appended,
): State {
  const time = appended.recorded[0]!.time
  let after = state
  for (const event of events) after = decider.evolve(after, { ...event, time })
  return after
}

/** Full jitter on a doubling ceiling (5, 10, 20… ms, capped at 100): racing writers spread out instead of colliding again. */
function backoff(attempt: number): number {
  const ceiling = Math.min(5 * 2 ** (attempt - 1), 100)
  return Math.round(Math.random() * ceiling)
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}


