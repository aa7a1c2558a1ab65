// The fleet's series per currency: the sum of its kiosks' days. A kiosk's offline day adds what that kiosk took
// on the same weekday the last time it was up (seasonal-naive imputation), so that a large fleet, where some
// kiosk is down most days, still has a complete series, and outages do not read as a drop in demand. A day is
// missing for the fleet only when a kiosk's offline day has nothing to impute from.
import { addDays, type DailySeries, daysBetween, type Observation } from "./model/index.ts"

export function fleetSeries(kiosks: ReadonlyArray<DailySeries>): DailySeries | undefined {
  if (kiosks.length === 0) return undefined
  const from = kiosks.reduce((first, s) => (s.from < first ? s.from : first), kiosks[0]!.from)
  const to = kiosks.reduce((last, s) => {
    const end = addDays(s.from, s.values.length - 1)
    return end > last ? end : last
  }, from)
  const values: Array<Observation> = Array.from({ length: daysBetween(from, to) + 1 }, () => 0)
  for (const kiosk of kiosks) {
    const offset = daysBetween(from, kiosk.from)
    kiosk.values.forEach((y, t) => {
      const target = offset + t
      if (values[target] === null) return
      const value = y ?? lastSameWeekday(kiosk.values, t)
      values[target] = value === undefined ? null : values[target]! + value
    })
  }
  return { from, values }
}

function lastSameWeekday(values: ReadonlyArray<Observation>, t: number): number | undefined {
  for (let s = t - 7; s >= 0; s -= 7) {
    const y = values[s]
    if (y !== null && y !== undefined) return y
  }
  return undefined
}
