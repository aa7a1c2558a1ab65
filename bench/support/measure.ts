// Closed-loop load inside the bench process (for the client-library ceilings: JetStream, Postgres, argon2):
// `concurrency` workers each run `op` back to back for a fixed time; latencies are kept per op.
import { performance } from "node:perf_hooks"

export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly p999: number
  readonly max: number
}

export interface ClosedLoopOptions {
  readonly concurrency: number
  readonly durationMs: number
  /** Ops finished before this are not counted (connections, JIT and caches warm up). Default: 10 % of the duration, at most 500 ms. */
  readonly warmupMs?: number
  readonly signal?: AbortSignal
  /** One operation; `n` counts up from 0 across all workers (unique keys, subjects, …). */
  readonly op: (n: number) => Promise<unknown>
}

export interface ClosedLoopResult {
  readonly ops: number
  readonly errors: number
  readonly perSecond: number
  readonly latencyMs?: Latency
  readonly firstError?: string
}

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { concurrency, durationMs, signal, op } = options
  const warmupMs = options.warmupMs ?? Math.min(500, durationMs * 0.1)
  const start = performance.now()
  const measureFrom = start + warmupMs
  const end = measureFrom + durationMs
  const latencies: Array<number> = []
  let counter = 0
  let errors = 0
  let firstError: string | undefined

  const worker = async () => {
    while (!signal?.aborted) {
      const t0 = performance.now()
      if (t0 >= end) return
      try {
        await op(counter++)
        const t1 = performance.now()
        if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0)
      } catch (error) {
        if (t0 >= measureFrom) errors++
        firstError ??= error instanceof Error ? error.message : String(error)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Math.max(0, Math.min(performance.now(), end) - measureFrom) / 1000
  return {
    ops: latencies.length,
    errors,
    perSecond: seconds > 0 ? latencies.length / seconds : 0,
    ...(latencies.length > 0 ? { latencyMs: percentiles(latencies) } : {}),
    ...(firstError !== undefined && errors > 0 ? { firstError } : {}),
  }
}

export function percentiles(samples: ReadonlyArray<number>): Latency {
  const sorted = Float64Array.from(samples).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] ?? 0 }
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
