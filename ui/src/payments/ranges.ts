// Date presets for lists and totals, as UTC days (the API's days): "today", "last 7 days", "last month"…
import { utcDay } from "../sales/series.ts"

export const PRESETS = ["today", "yesterday", "last7", "last30", "thisMonth", "lastMonth", "all"] as const
export type Preset = (typeof PRESETS)[number]

export interface DayRange { readonly from?: string | undefined; readonly to?: string | undefined }

const DAY = 86_400_000

/** The days a preset names, both ends included ("all": no bounds). */
export function presetRange(preset: Preset, now: Date): DayRange {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const day = (ms: number) => utcDay(new Date(ms))
  const monthStart = (year: number, month: number) => Date.UTC(year, month, 1)
  switch (preset) {
    case "today": return { from: day(today), to: day(today) }
    case "yesterday": return { from: day(today - DAY), to: day(today - DAY) }
    case "last7": return { from: day(today - 6 * DAY), to: day(today) }
    case "last30": return { from: day(today - 29 * DAY), to: day(today) }
    case "thisMonth": return { from: day(monthStart(now.getUTCFullYear(), now.getUTCMonth())), to: day(today) }
    case "lastMonth": {
      const start = monthStart(now.getUTCFullYear(), now.getUTCMonth() - 1)
      return { from: day(start), to: day(monthStart(now.getUTCFullYear(), now.getUTCMonth()) - DAY) }
    }
    case "all": return {}
  }
}

/** Which preset a range is, or "custom". */
export function presetOf(range: DayRange, now: Date): Preset | "custom" {
  return PRESETS.find((preset) => {
    const candidate = presetRange(preset, now)
    return candidate.from === range.from && candidate.to === range.to
  }) ?? "custom"
}
