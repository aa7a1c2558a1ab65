// The contract between bench/run.ts and the scenarios registered in bench/scenarios/index.ts.
import type { Measurement } from "./support/measure.ts"

export type { Measurement }
export type { Latency } from "./support/measure.ts"

/** The raw ceilings of this machine, measured at the start of every run. */
export const CEILINGS = {
  jetstreamPublish: "JetStream publish (acked)",
  postgresInsert: "Postgres 1-row insert tx",
  httpHello: "Fastify hello-world",
} as const
export type CeilingKey = keyof typeof CEILINGS
export type Ceilings = Readonly<Record<CeilingKey, Measurement>>

export interface BenchContext {
  /** Fresh for this scenario; the harness drops its streams, KV buckets and database schema afterwards. */
  readonly namespace: string
  /** An environment for `readSettings`: NODE_ENV=test, NATS_URL, DATABASE_URL, APP_NAMESPACE=namespace, LOG_LEVEL=warn. */
  readonly env: Readonly<Record<string, string>>
  readonly natsUrl: string
  readonly databaseUrl: string
  /** How long to measure (after the setup, which should be quick). */
  readonly durationMs: number
  /** Concurrent connections / in-flight operations for load generators. */
  readonly connections: number
  /** Aborted at the harness's deadline; stop measuring and clean up when it fires. */
  readonly signal: AbortSignal
  /** This run's ceilings, e.g. to size a load. */
  readonly ceilings: Ceilings
  /** Pass as `onTick` to closedLoop/httpLoad, so the progress bar moves. */
  readonly tick: (elapsedMs: number) => void
  /** A short status for the progress line ("seeding 10 000 events"). */
  readonly note: (text: string) => void
}

export interface BenchScenario {
  /** Short and specific, e.g. "record payment via HTTP". */
  readonly name: string
  /** Which ceiling its rate is reported against (as a ratio). */
  readonly ceiling: CeilingKey
  /** Measures once and cleans up what it started (servers, connections); the harness drops the namespace's state. */
  run(ctx: BenchContext): Promise<Measurement>
}

export const defineScenario = (scenario: BenchScenario): BenchScenario => scenario
