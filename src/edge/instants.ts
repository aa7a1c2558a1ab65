// Timestamps from clients: the schema's pattern admits "2024-02-30T00:00:00Z", which Date.parse silently rolls
// over and Postgres refuses. A real instant must come back from a round trip unchanged.
import { Invalid } from "../commands/index.ts"

const DAY_MS = 86_400_000

/** The instant itself when it names a real moment; otherwise Invalid (422) naming the field. */
export function realInstant(value: string, field: string): string {
  const ms = Date.parse(value)
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== value.slice(0, 19)) {
    throw new Invalid({ message: `${field} is not a real date and time` })
  }
  return value
}

/** A list bound: a day (YYYY-MM-DD) or an instant; `end` bounds are exclusive, so a day `to` means its next midnight. */
export function boundOf(value: string, field: string, end: boolean): string {
  if (value.length > 10) return realInstant(value, field)
  const midnight = realInstant(`${value}T00:00:00Z`, field)
  return end ? new Date(Date.parse(midnight) + DAY_MS).toISOString() : midnight
}
