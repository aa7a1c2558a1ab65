// What provisioning may change on a stream that exists: everything back to the code's specification, except
// that it never lowers the replicas or a limit below what is there. An operator who raised TELEMETRY's max age,
// or moved a stream to R3 by hand, keeps it after the next pod start; what was kept is said in one log line.
import type { StreamConfig } from "@nats-io/jetstream"

/** Limits where a larger value allows more, and 0 or -1 means no limit at all. */
const LIMITS = ["max_age", "max_msgs", "max_bytes", "max_msgs_per_subject", "max_msg_size", "max_consumers"] as const

const unlimited = (value: number | undefined) => value === undefined || value <= 0
/** The looser of two limits (no limit beats any limit). */
const looser = (a: number, b: number) => (unlimited(a) ? a : unlimited(b) ? b : Math.max(a, b))

export interface Reconciled<C> {
  /** The configuration to apply, or undefined when the stream already matches it. */
  readonly update: C | undefined
  /** Fields kept above the specification, e.g. "num_replicas 3 (spec 1)". */
  readonly kept: ReadonlyArray<string>
  /** Fields the update changes. */
  readonly changed: ReadonlyArray<string>
}

export function reconcileStream<C extends Partial<StreamConfig>>(current: Partial<StreamConfig>, spec: C): Reconciled<C> {
  const target: Record<string, unknown> = { ...spec }
  const kept: Array<string> = []
  for (const key of LIMITS) {
    const wanted = spec[key]
    const have = current[key]
    if (typeof wanted !== "number" || typeof have !== "number") continue
    const value = looser(have, wanted)
    if (value !== wanted) {
      target[key] = value
      kept.push(`${key} ${have} (spec ${wanted})`)
    }
  }
  if (typeof spec.num_replicas === "number" && typeof current.num_replicas === "number" && current.num_replicas > spec.num_replicas) {
    target.num_replicas = current.num_replicas
    kept.push(`num_replicas ${current.num_replicas} (spec ${spec.num_replicas})`)
  }
  const changed = Object.keys(target).filter((k) => JSON.stringify((current as Record<string, unknown>)[k]) !== JSON.stringify(target[k]))
  return { update: changed.length > 0 ? (target as C) : undefined, kept, changed }
}

/** One line for the log when the stream differed from its specification; undefined when it did not. */
export function describeReconciled(stream: string, r: Reconciled<unknown>): string | undefined {
  if (r.kept.length === 0 && r.changed.length === 0) return undefined
  const parts = [
    ...(r.changed.length > 0 ? [`updated ${r.changed.join(", ")}`] : []),
    ...(r.kept.length > 0 ? [`kept above the specification: ${r.kept.join(", ")}`] : []),
  ]
  return `stream ${stream} differs from its specification: ${parts.join("; ")}`
}
