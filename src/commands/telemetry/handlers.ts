// Heartbeats are facts, not decisions: appended to the kiosk's telemetry subject with no concurrency check.
import { Effect } from "effect"
import { Settings } from "../../platform/index.ts"
import { EventStore } from "../eventStore/index.ts"
import type { CommandContext } from "../shared/envelope.ts"
import { decideHeartbeat } from "./decide.ts"
import type { HeartbeatInput } from "./events.ts"

export type Heartbeat = typeof HeartbeatInput.Type

export const recordHeartbeat = Effect.fn("recordHeartbeat")(function* (kioskId: string, heartbeat: Heartbeat, context: CommandContext) {
  const store = yield* EventStore
  const { kioskForwardWindowDays } = yield* Settings
  const event = yield* Effect.fromResult(decideHeartbeat({
    kioskId,
    at: heartbeat.at,
    appVersion: heartbeat.appVersion ?? null,
    status: heartbeat.status ?? {},
    clock: { now: new Date().toISOString(), maxAgeDays: kioskForwardWindowDays },
  }))
  const { seq } = yield* store.append("TELEMETRY", store.naming.subject.telemetry(kioskId), [event], { expectedVersion: "any", context })
  return { seq, at: event.data.at }
})
