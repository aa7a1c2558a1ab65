// Recommendations for one kiosk and currency, each with its kind, its reason in English and Spanish, and the
// numbers behind it. Pure and deterministic: facts in, recommendations out; none when there is nothing to say.
// Every threshold is here, named, with why.
import type { Recommendation, RecommendationKind } from "../model/index.ts"
import { type KioskFacts, PROFILE_DAYS, WINDOW_DAYS } from "./facts.ts"
import { binomialTail, median, poissonTail } from "./statistics.ts"
import { chance, duration, hourRanges, money, percent, weekdays } from "./words.ts"

/** Busy hours: the fewest hours of the day that bring half the takings. */
const BUSY_SHARE = 0.5
/** Offline this long in busy hours over the window is worth a look (a reboot or two is not). */
const BUSY_DOWNTIME_MINUTES = 60
/** Below the 80% interval on this many of the last week's days: about 1 in 400 by chance (each day 10%). */
const DAYS_BELOW = 4
/** A refund rate at least twice the fleet's, and unlikely (< 1%) at the fleet's rate. */
const REFUND_RATIO = 2
const UNLIKELY = 0.01
/** One weekday bringing a third of the takings (more than twice its seventh), or one hour a quarter of them. */
const WEEKDAY_SHARE = 1 / 3
const HOUR_SHARE = 1 / 4
/** Under half of what comparable kiosks take on an average day. */
const PEER_RATIO = 0.5

export function recommend(facts: KioskFacts): ReadonlyArray<Recommendation> {
  return [downtimeInBusyHours, belowForecast, refundsHigh, weekdayConcentration, hourConcentration, belowPeers]
    .flatMap((rule) => rule(facts) ?? [])
}

type Rule = (facts: KioskFacts) => Recommendation | undefined

const make = (facts: KioskFacts, kind: RecommendationKind, en: string, es: string, numbers: Recommendation["numbers"]): Recommendation =>
  ({ kind, kioskId: facts.kioskId, currency: facts.currency, window: facts.window, reason: { en, es }, numbers })

const sum = (values: ReadonlyArray<number>) => values.reduce((s, v) => s + v, 0)

const downtimeInBusyHours: Rule = (f) => {
  const total = sum(f.takingsByHour)
  if (f.profilePayments < 50 || total <= 0) return undefined
  const ranked = f.takingsByHour.map((takings, hour) => ({ hour, takings })).sort((a, b) => b.takings - a.takings || a.hour - b.hour)
  const busy: Array<number> = []
  let covered = 0
  for (const { hour, takings } of ranked) {
    if (covered >= BUSY_SHARE * total) break
    busy.push(hour)
    covered += takings
  }
  busy.sort((a, b) => a - b)
  const busyMinutes = sum(busy.map((h) => f.offlineMinutesByHour[h] ?? 0))
  if (busyMinutes < BUSY_DOWNTIME_MINUTES) return undefined
  // What an average minute of each hour brings, times the minutes lost in it.
  const lost = sum(f.offlineMinutesByHour.map((minutes, h) => (minutes * (f.takingsByHour[h] ?? 0)) / (PROFILE_DAYS * 60)))
  const hours = hourRanges(busy)
  return make(f, "downtime_busy_hours",
    `${f.kioskName} was offline for ${duration(busyMinutes)} during its busy hours (${hours} UTC) in the last ${WINDOW_DAYS} days. ` +
      `Those hours bring ${percent(covered / total, "en")} of its takings: about ${money(lost, f.currency, "en")} lost. Check its power and network.`,
    `${f.kioskName} estuvo sin conexión ${duration(busyMinutes)} en sus horas de más venta (${hours} UTC) en los últimos ${WINDOW_DAYS} días. ` +
      `Esas horas suponen el ${percent(covered / total, "es")} de su recaudación: unos ${money(lost, f.currency, "es")} perdidos. Revise la alimentación y la red.`,
    {
      offline_minutes_busy_hours: Math.round(busyMinutes), offline_minutes: Math.round(sum(f.offlineMinutesByHour)), busy_hours: busy,
      busy_share: covered / total, estimated_lost: Math.round(lost),
    })
}

const belowForecast: Rule = (f) => {
  if (f.recent.length < 5) return undefined
  const below = f.recent.filter((d) => d.actual < d.lo80).length
  if (below < DAYS_BELOW) return undefined
  const actual = sum(f.recent.map((d) => d.actual))
  const forecast = sum(f.recent.map((d) => d.point))
  const p = binomialTail(below, f.recent.length, 0.1)
  return make(f, "below_forecast",
    `${f.kioskName} took less than the low end of its 80% forecast interval on ${below} of its last ${f.recent.length} days ` +
      `(${money(actual, f.currency, "en")} against a forecast of ${money(forecast, f.currency, "en")}); by chance that happens ${chance(p, "en")} times. ` +
      "Look for a fault, a blocked entrance or a change nearby.",
    `${f.kioskName} recaudó menos que el extremo inferior de su intervalo de previsión del 80 % en ${below} de sus últimos ${f.recent.length} días ` +
      `(${money(actual, f.currency, "es")} frente a una previsión de ${money(forecast, f.currency, "es")}); por azar ocurre ${chance(p, "es")} veces. ` +
      "Busque una avería, un acceso cortado o un cambio en la zona.",
    { days_below: below, days_checked: f.recent.length, actual, forecast, chance: p })
}

const refundsHigh: Rule = (f) => {
  if (f.payments < 30 || f.refunds < 3 || f.fleet.payments < 100) return undefined
  const fleetRate = f.fleet.refunds / f.fleet.payments
  const rate = f.refunds / f.payments
  const p = poissonTail(f.refunds, f.payments * fleetRate)
  if (rate < REFUND_RATIO * fleetRate || p >= UNLIKELY) return undefined
  return make(f, "refunds_high",
    `${f.kioskName} had ${f.refunds} refunds on ${f.payments} payments in the last ${WINDOW_DAYS} days (${percent(rate, "en")}), ` +
      `against ${percent(fleetRate, "en")} across the rest of the fleet; so many by chance happens ${chance(p, "en")} times. ` +
      `Refunded: ${money(f.refundedAmount, f.currency, "en")}. Check its card reader, its prices and what customers complain about.`,
    `${f.kioskName} tuvo ${f.refunds} devoluciones en ${f.payments} pagos en los últimos ${WINDOW_DAYS} días (${percent(rate, "es")}), ` +
      `frente al ${percent(fleetRate, "es")} en el resto de la flota; tantas por azar ocurren ${chance(p, "es")} veces. ` +
      `Devuelto: ${money(f.refundedAmount, f.currency, "es")}. Revise el lector de tarjetas, los precios y las quejas de los clientes.`,
    { refunds: f.refunds, payments: f.payments, rate, fleet_rate: fleetRate, refunded_amount: f.refundedAmount, chance: p })
}

/** The largest part and its share, when the total is positive. */
function largest(parts: ReadonlyArray<number>) {
  const total = sum(parts)
  if (total <= 0) return undefined
  const index = parts.reduce((best, v, i) => (v > parts[best]! ? i : best), 0)
  return { index, share: parts[index]! / total }
}

const weekdayConcentration: Rule = (f) => {
  const top = f.profilePayments >= 100 ? largest(f.takingsByWeekday) : undefined
  if (top === undefined || top.share < WEEKDAY_SHARE) return undefined
  const [en, es] = [weekdays(top.index, "en"), weekdays(top.index, "es")]
  return make(f, "weekday_concentration",
    `${en} bring ${percent(top.share, "en")} of ${f.kioskName}'s takings over the last ${PROFILE_DAYS / 7} weeks (an even week would give each day 14%). ` +
      `Stock and staff it for ${en}, and consider an offer on its quiet days.`,
    `${es.charAt(0).toUpperCase()}${es.slice(1)} suponen el ${percent(top.share, "es")} de la recaudación de ${f.kioskName} en las últimas ${PROFILE_DAYS / 7} semanas ` +
      `(una semana pareja daría a cada día el 14 %). Prepare existencias y personal para ${es}, y valore una oferta en sus días flojos.`,
    { weekday: top.index, share: top.share })
}

const hourConcentration: Rule = (f) => {
  const top = f.profilePayments >= 100 ? largest(f.takingsByHour) : undefined
  if (top === undefined || top.share < HOUR_SHARE) return undefined
  const hour = hourRanges([top.index])
  return make(f, "hour_concentration",
    `One hour, ${hour} UTC, brings ${percent(top.share, "en")} of ${f.kioskName}'s takings over the last ${PROFILE_DAYS / 7} weeks. ` +
      "Make sure it is stocked and up before then; a queue at that hour costs sales.",
    `Una sola hora, de ${hour} UTC, supone el ${percent(top.share, "es")} de la recaudación de ${f.kioskName} en las últimas ${PROFILE_DAYS / 7} semanas. ` +
      "Asegúrese de que esté abastecido y en marcha antes; una cola a esa hora cuesta ventas.",
    { hour: top.index, share: top.share })
}

const belowPeers: Rule = (f) => {
  if (f.peers.averageDays.length === 0 || f.observedDays < 14) return undefined
  const own = f.net / f.observedDays
  const peers = median(f.peers.averageDays)
  if (peers <= 0 || own >= PEER_RATIO * peers) return undefined
  const others = f.peers.averageDays.length
  return make(f, "below_peers",
    `${f.kioskName} takes ${money(own, f.currency, "en")} on an average day, ${percent(own / peers, "en")} of the ${money(peers, f.currency, "en")} ` +
      `of the ${others === 1 ? "other kiosk" : `${others} other kiosks`} in ${f.peers.place} (median, last ${WINDOW_DAYS} days). Check its placement, signage and opening hours.`,
    `${f.kioskName} recauda ${money(own, f.currency, "es")} en un día medio, el ${percent(own / peers, "es")} de los ${money(peers, f.currency, "es")} ` +
      `de ${others === 1 ? "el otro quiosco" : `los otros ${others} quioscos`} de ${f.peers.place} (mediana, últimos ${WINDOW_DAYS} días). Revise su ubicación, su señalización y su horario.`,
    { average_day: Math.round(own), peers_median_day: Math.round(peers), peers: others, ratio: own / peers, place: f.peers.place })
}
