// A kiosk's offline periods as a strip over the range they were read for: where each one starts and how wide it
// is, in percent of the range (at least a sliver, so a two-minute outage in 30 days still shows).
import type { KioskUptime } from "../api/types.ts"

export interface StripSegment { readonly left: number; readonly width: number; readonly open: boolean }

const MIN_WIDTH = 0.4

export function uptimeStrip(uptime: Pick<KioskUptime, "from" | "to" | "periods">): StripSegment[] {
  const from = Date.parse(uptime.from)
  const span = Date.parse(uptime.to) - from
  if (!(span > 0)) return []
  return uptime.periods.map((p) => {
    const start = Date.parse(p.offlineFrom)
    const end = p.backAt === null ? Date.parse(uptime.to) : Date.parse(p.backAt)
    const left = Math.min(100, Math.max(0, ((start - from) / span) * 100))
    const width = Math.min(100 - left, Math.max(MIN_WIDTH, ((end - start) / span) * 100))
    return { left, width, open: p.backAt === null }
  })
}
