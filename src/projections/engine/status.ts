// Where each projection stands against its stream, what it parked, and the alarm for a stream that went backwards.
import type { Logger, Naming, NatsClients } from "../../platform/index.ts"
import type { DbHandle } from "../db.ts"
import { readCheckpoint } from "./checkpoints.ts"
import { projectionMetrics as metrics } from "./metrics.ts"
import { openParkedCounts } from "./parking.ts"
import type { Projection } from "./projection.ts"
import { lastSequence } from "./streamReader.ts"

export interface ProjectionStatus {
  readonly name: string
  readonly stream: string
  /** Last stream sequence applied to the read model. */
  readonly checkpoint: number
  readonly streamLastSeq: number
  /** Events in the stream not yet in the read model. */
  readonly lag: number
  /** The stream ends below the checkpoint: events we applied and acknowledged are no longer there. */
  readonly streamBehind: boolean
  /** Events parked (not applied) and still waiting for a retry or a skip. */
  readonly parked: number
}

export interface StatusDeps {
  readonly db: DbHandle
  readonly nats: Pick<NatsClients, "jsm">
  readonly names: Naming
}

export async function projectionStatus(deps: StatusDeps, projections: ReadonlyArray<Projection>): Promise<ReadonlyArray<ProjectionStatus>> {
  const parked = await openParkedCounts(deps.db.db, deps.db.schema)
  return Promise.all(projections.map(async (p) => {
    const stream = deps.names.stream(p.stream)
    const [checkpoint, streamLastSeq] = await Promise.all([readCheckpoint(deps.db.db, p.name), lastSequence(deps.nats.jsm, stream)])
    return {
      name: p.name, stream, checkpoint, streamLastSeq, lag: Math.max(0, streamLastSeq - checkpoint), streamBehind: streamLastSeq < checkpoint,
      parked: parked.get(p.name) ?? 0,
    }
  }))
}

/** Every `intervalMs`, refreshes the lag and parked gauges and raises (metric + error log) or clears the stream-behind alarm. */
export function watchProjections(deps: StatusDeps & { readonly logger: Logger }, projections: ReadonlyArray<Projection>, intervalMs = 5_000) {
  const alarmed = new Map<string, number>()
  let measuredAt = 0
  const check = async () => {
    const statuses = await projectionStatus(deps, projections)
    measuredAt = Date.now()
    for (const s of statuses) {
      const label = { projection: s.name }
      metrics.checkpoint.set(label, s.checkpoint)
      metrics.streamLast.set(label, s.streamLastSeq)
      metrics.lag.set(label, s.lag)
      metrics.streamBehind.set(label, s.streamBehind ? 1 : 0)
      metrics.parked.set(label, s.parked)
      if (s.streamBehind) {
        // Loud on the transition, then once a minute while it lasts.
        const last = alarmed.get(s.name)
        if (last === undefined || Date.now() - last >= 60_000) {
          deps.logger.error({ projection: s.name, stream: s.stream, checkpoint: s.checkpoint, streamLastSeq: s.streamLastSeq },
            "stream's last sequence is below the projection's checkpoint: acknowledged events were lost")
          alarmed.set(s.name, Date.now())
        }
      } else if (alarmed.delete(s.name)) {
        deps.logger.warn({ projection: s.name, stream: s.stream }, "stream is back at or above the projection's checkpoint")
      }
    }
  }
  let running: Promise<void> = Promise.resolve()
  const tick = () => {
    running = check().catch((error: unknown) => deps.logger.warn({ err: error }, "projection status check failed"))
  }
  tick()
  const timer = setInterval(tick, intervalMs)
  return {
    /** Runs one check now (tests and the status command don't wait for the timer). */
    checkNow: async () => { await running; tick(); await running },
    /** The lag was measured within the last three intervals (NATS and Postgres both answered). */
    lagKnown: () => Date.now() - measuredAt <= 3 * intervalMs,
    stop: async () => { clearInterval(timer); await running },
  }
}
