// The facts behind a kiosk's recommendations, per currency, from what the forecaster read: its own days and
// outages, the fleet's window totals and outages, its payments by hour, and the check of its last week against
// the forecast made before it. Pure.
import type { RecommendationInputs, SalesDay } from "../../../projections/index.ts"
import { offlineDays, offlineMinutesByHour, type Outage } from "../history.ts"
import { addDays, daysBetween, isoWeekday } from "../model/index.ts"
import { type KioskFacts, PROFILE_DAYS, type RecentDay, WINDOW_DAYS } from "./facts.ts"

/** Fewest days up in the window for a kiosk's average day to mean something. */
const MIN_PEER_DAYS = 14

/** Where a kiosk stands, for comparing like with like: the location's first part ("Madrid" of "Madrid · Atocha"). */
export const placeOf = (location: string) => location.split(/[·,]/u)[0]!.trim()

export interface KioskEvidence {
  readonly kioskId: string
  /** The history's last day: the window and the profile end there. */
  readonly historyEnd: string
  /** This kiosk's days (at least the profile's). */
  readonly days: ReadonlyArray<SalesDay>
  readonly outages: ReadonlyArray<Outage>
  readonly inputs: RecommendationInputs
  readonly recent: ReadonlyMap<string, ReadonlyArray<RecentDay>>
}

export function kioskFacts(e: KioskEvidence): ReadonlyArray<KioskFacts> {
  const kiosk = e.inputs.kiosks.find((k) => k.kiosk_id === e.kioskId)
  if (kiosk === undefined) return []
  const windowFrom = addDays(e.historyEnd, -(WINDOW_DAYS - 1))
  const profileFrom = addDays(e.historyEnd, -(PROFILE_DAYS - 1))
  const outagesOf = (kioskId: string): ReadonlyArray<Outage> =>
    e.inputs.windowOutages.filter((o) => o.kiosk_id === kioskId).map((o) => ({ from: o.offline_from, to: o.back_at }))
  /** Days up in the window since the kiosk's first takings in it. */
  const upDays = (outages: ReadonlyArray<Outage>, firstDay: string | undefined) => {
    if (firstDay === undefined) return 0
    const from = firstDay > windowFrom ? firstDay : windowFrom
    return daysBetween(from, e.historyEnd) + 1 - offlineDays(outages, from, e.historyEnd).size
  }
  const place = placeOf(kiosk.location)
  const peers = e.inputs.kiosks.filter((k) => k.kiosk_id !== e.kioskId && place !== "" && placeOf(k.location).toLowerCase() === place.toLowerCase())
  const profile = e.days.filter((d) => d.kiosk_id === e.kioskId && d.day >= profileFrom && d.day <= e.historyEnd)
  const currencies = [...new Set([...profile.map((d) => d.currency), ...e.inputs.takingsByHour.map((h) => h.currency)])].sort()

  return currencies.map((currency): KioskFacts => {
    const own = e.inputs.windowTotals.find((t) => t.kiosk_id === e.kioskId && t.currency === currency)
    const others = e.inputs.windowTotals.filter((t) => t.kiosk_id !== e.kioskId && t.currency === currency)
    const hours = e.inputs.takingsByHour.filter((h) => h.currency === currency)
    const takingsByHour = Array.from({ length: 24 }, (_, hour) => hours.find((h) => h.hour === hour)?.takings ?? 0)
    const takingsByWeekday = Array.from({ length: 7 }, () => 0)
    for (const d of profile) if (d.currency === currency) takingsByWeekday[isoWeekday(d.day)]! += d.gross
    const peerAverages = peers.flatMap((peer) => {
      const totals = others.find((t) => t.kiosk_id === peer.kiosk_id)
      const up = upDays(outagesOf(peer.kiosk_id), totals?.first_day)
      return totals === undefined || up < MIN_PEER_DAYS ? [] : [totals.net / up]
    })
    return {
      kioskId: e.kioskId,
      kioskName: kiosk.name,
      currency,
      window: { from: windowFrom, to: e.historyEnd },
      observedDays: upDays(e.outages, own?.first_day),
      net: own?.net ?? 0,
      payments: own?.payments ?? 0,
      refunds: own?.refunds ?? 0,
      refundedAmount: own?.refunded ?? 0,
      offlineMinutesByHour: offlineMinutesByHour(e.outages, windowFrom, e.historyEnd),
      takingsByHour,
      takingsByWeekday,
      profilePayments: hours.reduce((s, h) => s + h.payments, 0),
      recent: e.recent.get(currency) ?? [],
      fleet: { payments: others.reduce((s, t) => s + t.payments, 0), refunds: others.reduce((s, t) => s + t.refunds, 0) },
      peers: { place, averageDays: peerAverages },
    }
  })
}
