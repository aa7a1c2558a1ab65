// Creates or updates the event streams and the store's KV buckets. Idempotent: safe on every start, from many
// processes at once (the server accepts an identical create; a lost race turns into a compare-and-update).
// An existing stream keeps replicas and limits above the specification (../../platform/streamConfig.ts).
import {
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream"
import { Kvm } from "@nats-io/kv"
import { nanos } from "@nats-io/transport-node"
import {
  describeReconciled, ensureBucket, type LineLog, type Naming, reconcileStream, type StreamKey, STREAMS,
} from "../../platform/index.ts"

/** JetStream drops a repeated `Nats-Msg-Id` inside this window: covers a client's publish retries. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000
/** Heartbeats are only needed for liveness and recent forecasts. */
export const TELEMETRY_MAX_AGE_MS = 7 * 24 * 3_600_000
/** At one heartbeat every 30 s, a week is ~20k: the cap guards against a chatty device, not normal ones. */
export const TELEMETRY_MAX_PER_KIOSK = 25_000

export type StreamSpec = Pick<StreamConfig, "name" | "subjects"> & Partial<StreamConfig>

export interface ProvisionOptions {
  /** STREAM_REPLICAS: 1 on a single server (CI); 3 in production clusters. Never lowers what a stream has. */
  readonly replicas?: number | undefined
  /** Told, in one line per stream or bucket, when what exists differs from the specification. */
  readonly log?: LineLog | undefined
}

export function streamSpecs(names: Naming, options: ProvisionOptions = {}): Record<StreamKey, StreamSpec> {
  const base = (key: StreamKey, description: string): StreamSpec => ({
    name: names.stream(key),
    subjects: [names.streamSubjects(key)],
    description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas ?? 1,
    allow_direct: true,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    discard: DiscardPolicy.Old,
    max_age: 0,
    max_msgs_per_subject: -1,
  })
  return {
    USERS: base("USERS", "User aggregates: one subject per user"),
    KIOSKS: base("KIOSKS", "Kiosk aggregates: one subject per kiosk"),
    // The audit log: nothing may be removed, ever, and nothing ages out.
    PAYMENTS: { ...base("PAYMENTS", "Payments and refunds: the audit log"), deny_delete: true, deny_purge: true },
    TELEMETRY: {
      ...base("TELEMETRY", "Kiosk heartbeats"),
      max_age: nanos(TELEMETRY_MAX_AGE_MS),
      max_msgs_per_subject: TELEMETRY_MAX_PER_KIOSK,
    },
    NOTIFICATIONS: base("NOTIFICATIONS", "Notification requests and their delivery record"),
    // Seals over PAYMENTS, reconciliations and reads of the audit trail: kept like PAYMENTS itself.
    AUDIT: { ...base("AUDIT", "Payment seals, reconciliations and audit-trail reads"), deny_delete: true, deny_purge: true },
  }
}

/** KV bucket short names (before the namespace prefix) the event store uses. */
export const STORE_BUCKETS = { snapshots: "snapshots" } as const

export type ProvisionOutcome = "created" | "updated" | "unchanged"

export interface ProvisionReport {
  readonly streams: Record<StreamKey, ProvisionOutcome>
  readonly buckets: ReadonlyArray<string>
}

export async function provisionStreams(jsm: JetStreamManager, names: Naming, options: ProvisionOptions = {}): Promise<ProvisionReport> {
  const specs = streamSpecs(names, options)
  const outcomes = await Promise.all(STREAMS.map((key) => ensureStream(jsm, specs[key], options.log)))
  const streams = Object.fromEntries(STREAMS.map((key, i) => [key, outcomes[i]!])) as Record<StreamKey, ProvisionOutcome>
  const buckets = await ensureBuckets(jsm, names, options)
  return { streams, buckets }
}

// A lost creation race answers "name in use", or "subjects overlap" when the winner's stream already holds them.
const API = { StreamNotFound: 10059, StreamNameInUse: 10058, SubjectsOverlap: 10065 } as const
const apiCode = (error: unknown) => (error instanceof JetStreamApiError ? error.code : undefined)

export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec, log?: LineLog): Promise<ProvisionOutcome> {
  // Two rounds: a lost creation race (another process created it with an older config) ends in the update branch.
  for (let round = 0; ; round++) {
    const current = await jsm.streams.info(spec.name).catch((error: unknown) => {
      if (apiCode(error) === API.StreamNotFound) return undefined
      throw error
    })
    if (current === undefined) {
      try {
        await jsm.streams.add(spec)
        return "created"
      } catch (error) {
        const code = apiCode(error)
        if ((code === API.StreamNameInUse || code === API.SubjectsOverlap) && round === 0) continue
        throw error
      }
    }
    const reconciled = reconcileStream(current.config, spec)
    const line = describeReconciled(spec.name, reconciled)
    if (line) log?.info(line)
    if (reconciled.update === undefined) return "unchanged"
    const { name, retention: _r, storage: _s, ...update } = reconciled.update
    await jsm.streams.update(name, update)
    return "updated"
  }
}

async function ensureBuckets(jsm: JetStreamManager, names: Naming, options: ProvisionOptions): Promise<ReadonlyArray<string>> {
  const kvm = new Kvm(jsm.jetstream())
  const created: Array<string> = []
  for (const short of Object.values(STORE_BUCKETS)) {
    const bucket = names.bucket(short)
    await ensureBucket(kvm, bucket, { history: 1, storage: StorageType.File, replicas: options.replicas ?? 1, allow_direct: true }, options.log)
    created.push(bucket)
  }
  return created
}
