// Closed-loop load: `concurrency` workers each run `op` back to back for a fixed time; latencies are kept per op.
import { performance } from "node:perf_hooks"

export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/** What one run measured: completed operations in the measured window, their rate and latencies (ms). */
export interface Measurement {
  readonly ops: number
  readonly errors: number
  readonly seconds: number
  readonly perSecond: number
  /** What one op is, for printing: "acks", "tx", "req", "events". */
  readonly unit: string
  readonly concurrency?: number
  readonly latencyMs?: Latency
  /** The first error's message, when some ops failed. */
  readonly firstError?: string
  /** Anything else worth printing (e.g. `{ subscribers: 50 }`). */
  readonly notes?: Readonly<Record<string, string | number>>
}

export interface ClosedLoopOptions {
  readonly unit: string
  readonly concurrency: number
  readonly durationMs: number
  /** Ops finished before this are not counted (connections, JIT and caches warm up). Default: 10 % of the duration, at most 500 ms. */
  readonly warmupMs?: number
  readonly signal?: AbortSignal
  readonly onTick?: (elapsedMs: number) => void
  /** One operation; `n` counts up from 0 across all workers (unique keys, subjects, …). */
  readonly op: (n: number) => Promise<unknown>
}

export async function closedLoop(options: ClosedLoopOptions): Promise<Measurement> {
  const { concurrency, durationMs, signal, op, unit } = options
  const warmupMs = options.warmupMs ?? Math.min(500, durationMs * 0.1)
  const start = performance.now()
  const measureFrom = start + warmupMs
  const end = measureFrom + durationMs
  const latencies: Array<number> = []
  let counter = 0
  let errors = 0
  let firstError: string | undefined
  const tick = options.onTick ? setInterval(() => options.onTick!(performance.now() - start), 100) : undefined

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
  try {
    await Promise.all(Array.from({ length: concurrency }, worker))
  } finally {
    clearInterval(tick)
  }
  const seconds = Math.max(0, Math.min(performance.now(), end) - measureFrom) / 1000
  return {
    ops: latencies.length,
    errors,
    seconds,
    perSecond: seconds > 0 ? latencies.length / seconds : 0,
    unit,
    concurrency,
    ...(latencies.length > 0 ? { latencyMs: percentiles(latencies) } : {}),
    ...(firstError !== undefined && errors > 0 ? { firstError } : {}),
  }
}

export function percentiles(samples: Array<number>): Latency {
  const sorted = Float64Array.from(samples).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! }
}
