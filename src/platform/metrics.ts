// The one Prometheus registry of a thread; every room registers its metrics here and /metrics serves it. A `serve`
// that runs the edge beside other roles has two threads (the read side on a worker thread): the main thread's ops
// server serves both registries as one (metricsText).
import { isMainThread } from "node:worker_threads"
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client"

export const registry = new Registry()
// Node's own metrics (process, heap, event loop) once per process, from the main thread: a worker thread's would
// repeat the process-wide ones under the same names.
if (isMainThread) collectDefaultMetrics({ register: registry })

/** Get-or-create, so that a module loaded by several roles in one process registers its metric once. */
function once<M>(name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make()
}

export const counter = <L extends string>(name: string, help: string, labelNames: ReadonlyArray<L> = []) =>
  once(name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }))

export const gauge = <L extends string>(name: string, help: string, labelNames: ReadonlyArray<L> = []) =>
  once(name, () => new Gauge<L>({ name, help, labelNames, registers: [registry] }))

export const histogram = <L extends string>(name: string, help: string, labelNames: ReadonlyArray<L> = [], buckets?: Array<number>) =>
  once(name, () => new Histogram<L>({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }))

/** A thread's metrics as data (structured-cloneable), for the thread that serves /metrics. */
export type MetricsSnapshot = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>
export const metricsSnapshot = (): Promise<MetricsSnapshot> => registry.getMetricsAsJSON()

/**
 * This thread's metrics and another thread's snapshot as one exposition: a metric both threads register (the
 * event store's, say) is summed series by series, so that each name has one HELP and one TYPE line.
 */
export async function metricsText(other: MetricsSnapshot): Promise<string> {
  const own = await registry.getMetricsAsJSON()
  const otherNames = new Set(other.map((m) => m.name))
  // Only the shared ones go through the aggregator: it would drop or average some of Node's own (aggregator "omit").
  const ownOnly = await Promise.all(own.filter((m) => !otherNames.has(m.name)).map((m) => registry.getSingleMetricAsString(m.name)))
  const merged = await AggregatorRegistry.aggregate([own.filter((m) => otherNames.has(m.name)), other]).metrics()
  return `${[...ownOnly, merged.trimEnd()].filter((text) => text !== "").join("\n\n")}\n`
}
