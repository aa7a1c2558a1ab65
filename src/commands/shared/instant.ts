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
  // The UTC date and time of `ms` read back the same as the text only when no field rolled over (Feb 30 parses as
  // Mar 1). Compared as numbers, not through toISOString: every stored event's instants pass here on every read.
  const at = utcFields(ms)
  return hasSeparators(value) &&
      digitsAt(value, 0, 4) === at.year && digitsAt(value, 5, 2) === at.month && digitsAt(value, 8, 2) === at.day &&
      digitsAt(value, 11, 2) === at.hour && digitsAt(value, 14, 2) === at.minute && digitsAt(value, 17, 2) === at.second
    ? ms
    : undefined
}

/** `YYYY-MM-DDTHH:MM:SS`: the dashes, the T and the colons, by position. */
const hasSeparators = (text: string): boolean =>
  text[4] === "-" && text[7] === "-" && text[10] === "T" && text[13] === ":" && text[16] === ":"

/** The number the `length` decimal digits at `from` spell, or -1 if any is not a digit. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/** UTC calendar fields of an epoch millisecond (days → civil date as in H. Hinnant's "chrono-compatible" algorithms). */
function utcFields(ms: number) {
  const days = Math.floor(ms / DAY_MS)
  const second = Math.floor((ms - days * DAY_MS) / 1000)
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365)
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153)
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1,
    hour: Math.floor(second / 3_600),
    minute: Math.floor(second / 60) % 60,
    second: second % 60,
  }
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
