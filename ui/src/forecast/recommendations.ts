// Recommendations as the console lists them: consecutive items of one kiosk under one heading, in the order the
// edge sent them.
import type { Recommendation } from "../api/types.ts"

export interface KioskRecommendations {
  readonly kioskId: string
  readonly kioskName: string
  readonly items: ReadonlyArray<Recommendation>
}

export function byKiosk(items: ReadonlyArray<Recommendation>): Array<KioskRecommendations> {
  const groups: Array<{ kioskId: string; kioskName: string; items: Array<Recommendation> }> = []
  for (const item of items) {
    const last = groups.at(-1)
    if (last?.kioskId === item.kiosk_id) last.items.push(item)
    else groups.push({ kioskId: item.kiosk_id, kioskName: item.kiosk_name, items: [item] })
  }
  return groups
}
