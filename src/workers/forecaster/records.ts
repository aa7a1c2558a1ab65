// From a history read out of the read models to what the forecaster stores: one forecast per currency, for a
// kiosk or (FLEET) the whole fleet, and for a kiosk its recommendations. Pure and order-stable: the same rows give
// the same records.
import { FLEET, type ForecastRecord, type RecommendationInputs, type SalesHistory } from "../../projections/index.ts"
import { fleetSeries } from "./fleet.ts"
import { type Outage, seriesByCurrency } from "./history.ts"
import { type DailySeries, forecastSeries } from "./model/index.ts"
import { kioskFacts, RECENT_DAYS, type RecentDay, recommend, type Recommendation } from "./recommendations/index.ts"

type History = Pick<SalesHistory, "days" | "outages">

export function forecastRecords(history: History, kioskId: string, historyEnd: string): ReadonlyArray<ForecastRecord> {
  const series = kioskId === FLEET ? fleetByCurrency(history, historyEnd) : kioskSeries(history, kioskId, historyEnd)
  return [...series].map(([currency, s]): ForecastRecord => {
    const result = forecastSeries(s)
    return result.kind === "forecast"
      ? { currency, status: "ready", observedDays: result.history.observedDays, needDays: 0, method: result.method, mase: result.backtest.mase, document: result }
      : { currency, status: "not_enough_history", observedDays: result.days, needDays: result.need, method: null, mase: null, document: null }
  })
}

/** A kiosk's recommendations from its history, the fleet's figures, and its last week against the forecast made before it. */
export function kioskRecommendations(history: History, inputs: RecommendationInputs, kioskId: string, historyEnd: string): ReadonlyArray<Recommendation> {
  const recent = new Map([...kioskSeries(history, kioskId, historyEnd)].map(([currency, s]) => [currency, recentCheck(s)]))
  const days = history.days.filter((d) => d.kiosk_id === kioskId)
  return kioskFacts({ kioskId, historyEnd, days, outages: outagesOf(history, kioskId), inputs, recent }).flatMap(recommend)
}

/** The last week's observed days beside the forecast made from the history before it (none when that is too short). */
export function recentCheck(series: DailySeries): ReadonlyArray<RecentDay> {
  const cut = series.values.length - RECENT_DAYS
  const earlier = forecastSeries({ from: series.from, values: series.values.slice(0, Math.max(0, cut)) }, { horizon: RECENT_DAYS })
  if (earlier.kind !== "forecast") return []
  return earlier.daily.flatMap((day, k) => {
    const actual = series.values[cut + k]
    return actual === null || actual === undefined ? [] : [{ date: day.date, actual, point: day.point, lo80: day.lo80 }]
  })
}

const outagesOf = (history: Pick<SalesHistory, "outages">, kioskId: string): ReadonlyArray<Outage> =>
  history.outages.filter((o) => o.kiosk_id === kioskId).map((o) => ({ from: o.offline_from, to: o.back_at }))

const kioskSeries = (history: History, kioskId: string, historyEnd: string) =>
  seriesByCurrency(history.days.filter((d) => d.kiosk_id === kioskId), outagesOf(history, kioskId), historyEnd)

function fleetByCurrency(history: History, historyEnd: string): Map<string, DailySeries> {
  const perCurrency = new Map<string, Array<DailySeries>>()
  const kioskIds = [...new Set(history.days.map((d) => d.kiosk_id))].sort()
  for (const kioskId of kioskIds) {
    for (const [currency, s] of kioskSeries(history, kioskId, historyEnd)) perCurrency.set(currency, [...(perCurrency.get(currency) ?? []), s])
  }
  const fleet = new Map<string, DailySeries>()
  for (const currency of [...perCurrency.keys()].sort()) {
    const s = fleetSeries(perCurrency.get(currency)!)
    if (s !== undefined) fleet.set(currency, s)
  }
  return fleet
}
