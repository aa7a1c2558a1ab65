// What the store reads and how long appends take: per store instance (tests assert on it) and in Prometheus.
import { counter, histogram, type StreamKey } from "../../platform/index.ts"

export type ReadKind = "direct" | "snapshot" | "replay"
export type AppendOutcome = "appended" | "duplicate" | "wrong_version" | "failed"

const reads = counter("eventstore_reads_total", "Messages the event store read from JetStream", ["stream", "kind"])
const appendSeconds = histogram(
  "eventstore_append_seconds",
  "Time to append one commit to JetStream, by outcome",
  ["stream", "outcome"],
  [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
)
const commandAttempts = counter("eventstore_command_retries_total", "Commands decided again after a concurrent append", ["stream"])
const snapshotsWritten = counter("eventstore_snapshots_written_total", "Aggregate snapshots written", ["stream"])

export interface StoreStats {
  /** Every message read from JetStream: direct gets, snapshot gets, replayed messages. */
  readonly reads: number
  readonly directGets: number
  readonly snapshotGets: number
  readonly replayed: number
  readonly appends: number
  readonly duplicates: number
  readonly wrongVersions: number
  readonly retries: number
  readonly snapshotsWritten: number
}

export function makeStoreMeter() {
  const stats = { directGets: 0, snapshotGets: 0, replayed: 0, appends: 0, duplicates: 0, wrongVersions: 0, retries: 0, snapshotsWritten: 0 }
  return {
    read(stream: StreamKey, kind: ReadKind, n = 1) {
      if (n <= 0) return
      if (kind === "direct") stats.directGets += n
      else if (kind === "snapshot") stats.snapshotGets += n
      else stats.replayed += n
      reads.inc({ stream, kind }, n)
    },
    appended(stream: StreamKey, outcome: AppendOutcome, seconds: number) {
      if (outcome === "appended") stats.appends++
      else if (outcome === "duplicate") stats.duplicates++
      else if (outcome === "wrong_version") stats.wrongVersions++
      appendSeconds.observe({ stream, outcome }, seconds)
    },
    retried(stream: StreamKey) {
      stats.retries++
      commandAttempts.inc({ stream })
    },
    snapshotWritten(stream: StreamKey) {
      stats.snapshotsWritten++
      snapshotsWritten.inc({ stream })
    },
    snapshot(): StoreStats {
      return { ...stats, reads: stats.directGets + stats.snapshotGets + stats.replayed }
    },
  }
}

export type StoreMeter = ReturnType<typeof makeStoreMeter>
