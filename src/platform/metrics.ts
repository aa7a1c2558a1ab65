// The one Prometheus registry of a process; every room registers its metrics here and /metrics serves it.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client"

export const registry = new Registry()
collectDefaultMetrics({ register: registry })

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
