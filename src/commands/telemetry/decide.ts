// A heartbeat is a fact, not a decision against state: the only rule is that its time is one the kiosk could
// honestly send (real, not ahead of the server, not older than the forwarding window). Pure: `now` comes in.
import { Result } from "effect"
import { type ClockWindow, instantProblem } from "../shared/instant.ts"
import { Invalid } from "../shared/errors.ts"
import type { TelemetryEvent } from "./events.ts"

export interface RecordHeartbeat {
  readonly kioskId: string
  /** The kiosk's clock; the server's `now` when it sent none. */
  readonly at?: string | undefined
  readonly appVersion: string | null
  readonly status: Readonly<Record<string, string | number | boolean>>
  readonly clock: ClockWindow
}

export function decideHeartbeat(command: RecordHeartbeat): Result.Result<TelemetryEvent, Invalid> {
  const at = command.at ?? command.clock.now
  const problem = instantProblem(at, command.clock)
  if (problem !== undefined) return Result.fail(new Invalid({ message: `at ${problem}`, field: { in: "body", name: "at" } }))
  return Result.succeed({
    type: "KioskHeartbeat",
    data: { kioskId: command.kioskId, at, appVersion: command.appVersion, status: command.status },
  })
}
