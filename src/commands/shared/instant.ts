// Instants that reach storage: a real moment (2024-02-30 is not one), in a range Postgres and the business
// accept. A kiosk's clock may run a little fast, and an offline kiosk forwards its backlog later, so the times it
// sends are judged against the server's `now` with a small allowance ahead and a configurable window behind.
// Pure: callers pass `now` in, so deciders stay free of clocks.

/** How far ahead of the server's clock a kiosk's time may be. */
export const MAX_AHEAD_MS = 5 * 60_000
/** Nothing in this system happened before this: no payment, no heartbeat, no list bound. */
export const EARLIEST_INSTANT = "2000-01-01T00:00:00.000Z"
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT)
const DAY_MS = 86_400_000

/** Judging a device's time: the server's clock and how many days back a time may lie. */
export interface ClockWindow {
  readonly now: string
  readonly maxAgeDays: number
}

/** Milliseconds since the epoch when `value` names a real moment (no Feb 30, no hour 24), else undefined. */
export function realInstantMs(value: string): number | undefined {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return undefined
  // A round trip gives back the same date and time only when no field rolled over.
  return new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19) ? ms : undefined
}

/** A real moment in years 0001–9999: Postgres's timestamptz has no year 0, our ISO shape no sign or fifth digit. */
export function isStorableInstant(value: string): boolean {
  return /^\d{4}-/.test(value) && !value.startsWith("0000") && realInstantMs(value) !== undefined
}

/** Why a device's time is not acceptable, or undefined when it is. The reason reads after the field's name. */
export function instantProblem(value: string, window: ClockWindow): string | undefined {
  const ms = realInstantMs(value)
  if (ms === undefined) return "is not a real date and time"
  const now = Date.parse(window.now)
  if (ms > now + MAX_AHEAD_MS) return `is more than ${MAX_AHEAD_MS / 60_000} minutes ahead of the server's clock (${window.now})`
  if (ms < EARLIEST_MS) return `is before ${EARLIEST_INSTANT.slice(0, 10)}`
  if (ms < now - window.maxAgeDays * DAY_MS) return `is more than ${window.maxAgeDays} days old`
  return undefined
}
