// Heartbeats are facts, not decisions: appended to the kiosk's telemetry subject with no concurrency check.
import { Effect } from "effect"
import { EventStore } from "../eventStore/index.ts"
import type { CommandContext } from "../shared/envelope.ts"

export interface Heartbeat {
  readonly at?: string | undefined
  readonly appVersion?: string | null | undefined
  readonly status?: Readonly<Record<string, string | number | boolean>> | undefined
}

export const recordHeartbeat = Effect.fn("recordHeartbeat")(function* (kioskId: string, heartbeat: Heartbeat, context: CommandContext) {
  const store = yield* EventStore
  const at = heartbeat.at ?? new Date().toISOString()
  const { seq } = yield* store.append(
    "TELEMETRY",
    store.naming.subject.telemetry(kioskId),
    [{ type: "KioskHeartbeat", data: { kioskId, at, appVersion: heartbeat.appVersion ?? null, status: heartbeat.status ?? {} } }],
    { expectedVersion: "any", context },
  )
  return { seq, at }
})
