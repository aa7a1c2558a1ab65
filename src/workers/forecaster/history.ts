// From read-model rows to the model's daily series, one per currency: a day without sales is 0, a day the kiosk
// spent offline is missing. Pure, so the same rows always give the same series (and so the same forecast).
import { addDays, type DailySeries, daysBetween, type Observation } from "./model/index.ts"

export interface DailyNet {
  readonly day: string
  readonly currency: string
  /** Net takings that day, in minor units. */
  readonly net: number
}

export interface Outage {
  readonly from: string
  /** Null: still offline. */
  readonly to: string | null
}

/** A day counts as offline (missing) once the kiosk was down this long in it: a blip of a few minutes is not. */
export const OFFLINE_MINUTES_PER_DAY = 30
/** The history a forecast uses at most: two years keep both seasons without refitting old habits. */
export const MAX_HISTORY_DAYS = 730

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** Time offline within the UTC days [first, last], summed per bucket (days, or hours of the day) as `key` names them. */
function offlineTime<K>(outages: ReadonlyArray<Outage>, first: string, last: string, bucketMs: number, key: (bucketStart: number) => K): Map<K, number> {
  const ms = new Map<K, number>()
  const start = Date.parse(`${first}T00:00:00Z`)
  const end = Date.parse(`${last}T00:00:00Z`) + DAY_MS
  for (const outage of outages) {
    const from = Math.max(start, Date.parse(outage.from))
    const to = Math.min(end, outage.to === null ? end : Date.parse(outage.to))
    for (let bucket = Math.floor(from / bucketMs) * bucketMs; bucket < to; bucket += bucketMs) {
      const k = key(bucket)
      ms.set(k, (ms.get(k) ?? 0) + Math.min(to, bucket + bucketMs) - Math.max(from, bucket))
    }
  }
  return ms
}

/** The UTC days in [first, last] during which the kiosk was offline for at least OFFLINE_MINUTES_PER_DAY. */
export function offlineDays(outages: ReadonlyArray<Outage>, first: string, last: string): Set<string> {
  const down = offlineTime(outages, first, last, DAY_MS, (start) => new Date(start).toISOString().slice(0, 10))
  return new Set([...down].filter(([, ms]) => ms >= OFFLINE_MINUTES_PER_DAY * 60_000).map(([day]) => day))
}

/** Minutes offline in [first, last] by UTC hour of the day (24 entries), summed over the days. */
export function offlineMinutesByHour(outages: ReadonlyArray<Outage>, first: string, last: string): Array<number> {
  const down = offlineTime(outages, first, last, HOUR_MS, (start) => new Date(start).getUTCHours())
  return Array.from({ length: 24 }, (_, hour) => (down.get(hour) ?? 0) / 60_000)
}

/**
 * One series per currency, from its first day with takings (within the last MAX_HISTORY_DAYS) to `historyEnd`
 * (the last complete day); offline days are null whatever was sold on them, since a part day would read as a bad day.
 */
export function seriesByCurrency(rows: ReadonlyArray<DailyNet>, outages: ReadonlyArray<Outage>, historyEnd: string): Map<string, DailySeries> {
  const earliest = addDays(historyEnd, -(MAX_HISTORY_DAYS - 1))
  const inRange = rows.filter((r) => r.day >= earliest && r.day <= historyEnd)
  const byCurrency = Map.groupBy(inRange, (r) => r.currency)
  const series = new Map<string, DailySeries>()
  for (const currency of [...byCurrency.keys()].sort()) {
    const own = byCurrency.get(currency)!
    const from = own.reduce((first, r) => (r.day < first ? r.day : first), historyEnd)
    const offline = offlineDays(outages, from, historyEnd)
    const values: Array<Observation> = Array.from({ length: daysBetween(from, historyEnd) + 1 }, (_, t) => (offline.has(addDays(from, t)) ? null : 0))
    for (const r of own) {
      const t = daysBetween(from, r.day)
      if (values[t] !== null) values[t] = r.net
    }
    series.set(currency, { from, values })
  }
  return series
}
