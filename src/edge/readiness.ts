// The edge's readiness: the NATS connection answers, every event stream exists, Postgres answers a query, and the
// kiosk states are rebuilt and within their staleness bound.
import {
  type Check, check, condition, type Logger, type Naming, type NatsClients, type Readiness, STREAMS,
} from "../platform/index.ts"
import type { KioskStatesShape } from "../commands/index.ts"

export function readinessOf(deps: {
  readonly nats: Pick<NatsClients, "nc" | "jsm">
  readonly names: Naming
  readonly pingDatabase: () => Promise<unknown>
  /** Absent in tests that build an app without them. */
  readonly kioskStates?: Pick<KioskStatesShape, "isCurrent">
  readonly log?: Pick<Logger, "warn">
}): Readiness {
  const logAs = (what: string) => (error: unknown) => deps.log?.warn({ err: error, check: what }, "readiness check failed")
  return async () => {
    const [nats, postgres, ...streams] = await Promise.all([
      check(async () => {
        if (deps.nats.nc.isClosed()) throw new Error("connection closed")
        await deps.nats.nc.flush()
      }, "NATS does not answer", logAs("nats")),
      check(deps.pingDatabase, "Postgres does not answer", logAs("postgres")),
      ...STREAMS.map((key) => check(() => deps.nats.jsm.streams.info(deps.names.stream(key)), "stream missing or unreachable", logAs(`stream:${key}`))),
    ])
    const report: Record<string, Check> = { nats: nats!, postgres: postgres! }
    STREAMS.forEach((key, i) => { report[`stream:${key}`] = streams[i]! })
    if (deps.kioskStates !== undefined) {
      report["kiosk-states"] = condition(deps.kioskStates.isCurrent(), "kiosk states are rebuilding or behind KIOSKS")
    }
    return report
  }
}
