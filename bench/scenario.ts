// The contract between bench/run.ts and the scenarios registered in bench/scenarios/index.ts: a scenario
// measures and answers rows of the bench's table (a rate, latencies, the ratio to a ceiling, a target, checks).
import type { AppSettings } from "../src/platform/index.ts"
import type { Check } from "./checks/paymentsOnce.ts"
import type { Latency } from "./support/measure.ts"

export type { Check, Latency }

export interface Row {
  readonly name: string
  /** What one operation is: "req", "payments", "logins", "events", "deliveries", "acks", "tx". */
  readonly unit: string
  readonly perSecond?: number
  /** Each run's rate, when the figure is the median of several runs. */
  readonly runs?: ReadonlyArray<number>
  readonly latencyMs?: Latency
  /** The row this one is a ratio to (a ceiling, or the naive route measured alternately). */
  readonly ceiling?: string
  readonly ratio?: number
  /** The target for this figure, and whether this run met it. */
  readonly target?: { readonly text: string; readonly met: boolean }
  readonly checks?: ReadonlyArray<Check>
  readonly notes?: Readonly<Record<string, string | number>>
  readonly error?: string
}

export interface BenchContext {
  /** Fresh for this scenario; the harness drops its streams, KV buckets and database schema afterwards. */
  readonly namespace: string
  /** The environment for `serve` and `readSettings`: NATS_URL, DATABASE_URL, APP_NAMESPACE, secrets, LOG_LEVEL… */
  readonly env: Readonly<Record<string, string>>
  readonly settings: AppSettings
  readonly runs: number
  readonly durationMs: number
  /** HTTP connections of the throughput runs. */
  readonly connections: number
  /** Kiosks (device tokens) the payment load spreads over. */
  readonly kiosks: number
  /** Payments already in PAYMENTS for the history scenario. */
  readonly seedPayments: number
  /** Payments per second of (f)'s paced runs, when given (--paced-rate); otherwise half of (a)'s. */
  readonly pacedRate?: number | undefined
  readonly signal: AbortSignal
  /** Rows measured earlier in this run (ceilings and scenarios), by name. */
  readonly earlier: (name: string) => Row | undefined
  /** A short status line ("registering 1000 kiosks"). */
  readonly note: (text: string) => void
}

export interface BenchScenario {
  /** Short and specific; `--only` matches it. */
  readonly name: string
  run(ctx: BenchContext): Promise<ReadonlyArray<Row>>
}

export const defineScenario = (scenario: BenchScenario): BenchScenario => scenario
