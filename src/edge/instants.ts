// List bounds from the query string (`from`, `to`, the sales chart's days): a real day or instant between
// 2000-01-01 and a day from now, which Postgres and the business both accept. Anything else is a 400 naming the
// parameter, like any other bad query. (A kiosk's own times are the deciders' business: see commands/shared/instant.ts.)
import { EARLIEST_INSTANT, realInstantMs } from "../commands/index.ts"

const DAY_MS = 86_400_000
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT)

/** A refusal shaped like the validator's own, so it reads like any other bad query (400, with the field). */
export const badQuery = (field: string, message: string) =>
  Object.assign(new Error(message), { validationContext: "querystring", validation: [{ instancePath: `/${field}`, keyword: "range", message }] })

/** The milliseconds `value` names, if it is a real instant within the range lists accept; else throws badQuery. */
export function queryInstant(value: string, field: string, now = Date.now()): number {
  const ms = realInstantMs(value)
  if (ms === undefined) throw badQuery(field, "must be a real date (and time)")
  if (ms < EARLIEST_MS || ms > now + DAY_MS) throw badQuery(field, `must lie between ${EARLIEST_INSTANT.slice(0, 10)} and a day from now`)
  return ms
}

/** A list bound: a day (YYYY-MM-DD) or an instant; `end` bounds are exclusive, so a day `to` means its next midnight. */
export function boundOf(value: string, field: string, end: boolean): string {
  if (value.length > 10) {
    queryInstant(value, field)
    return value
  }
  const midnight = queryInstant(`${value}T00:00:00Z`, field)
  return new Date(end ? midnight + DAY_MS : midnight).toISOString()
}
