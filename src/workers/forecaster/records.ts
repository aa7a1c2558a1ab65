// From a history read out of the read models to the forecasts to store: one per currency, for a kiosk or (FLEET)
// for the whole fleet. Pure and order-stable: the same rows give the same records.
import { FLEET, type ForecastRecord, type SalesHistory } from "../../projections/index.ts"
import { fleetSeries } from "./fleet.ts"
import { type Outage, seriesByCurrency } from "./history.ts"
import { type DailySeries, forecastSeries } from "./model/index.ts"

export function forecastRecords(history: Pick<SalesHistory, "days" | "outages">, kioskId: string, historyEnd: string): ReadonlyArray<ForecastRecord> {
  const series = kioskId === FLEET ? fleetByCurrency(history, historyEnd) : kioskSeries(history, kioskId, historyEnd)
  return [...series].map(([currency, s]): ForecastRecord => {
    const result = forecastSeries(s)
    return result.kind === "forecast"
      ? { currency, status: "ready", observedDays: result.history.observedDays, needDays: 0, method: result.method, mase: result.backtest.mase, document: result }
      : { currency, status: "not_enough_history", observedDays: result.days, needDays: result.need, method: null, mase: null, document: null }
  })
}

const outagesOf = (history: Pick<SalesHistory, "outages">, kioskId: string): ReadonlyArray<Outage> =>
  history.outages.filter((o) => o.kiosk_id === kioskId).map((o) => ({ from: o.offline_from, to: o.back_at }))

const kioskSeries = (history: Pick<SalesHistory, "days" | "outages">, kioskId: string, historyEnd: string) =>
  seriesByCurrency(history.days.filter((d) => d.kiosk_id === kioskId), outagesOf(history, kioskId), historyEnd)

function fleetByCurrency(history: Pick<SalesHistory, "days" | "outages">, historyEnd: string): Map<string, DailySeries> {
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
