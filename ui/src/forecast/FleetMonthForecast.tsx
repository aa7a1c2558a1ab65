// The dashboard's fleet forecast for this month (admins and auditors): what the fleet took up to yesterday plus
// the forecast of the days left, with the intervals of that sum — or the honest "not enough history".
import { createResource, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { Loading } from "../components/Feedback.tsx"
import { settled } from "../components/resource.ts"
import { card, muted, sectionHeading } from "../components/styles.ts"
import { formatMoney, formatMonth, formatNumber, t } from "../i18n/i18n.ts"
import { totalsByCurrency } from "../sales/series.ts"
import { monthEstimate, monthSpan } from "./forecast.ts"
import { ForecastRefusal } from "./ForecastFacts.tsx"

export function FleetMonthForecast() {
  const { api } = useApp()
  const span = monthSpan(new Date())
  const [month] = createResource(async () => {
    const [prediction, sales] = await Promise.all([
      api.ai.predict({ horizon: span.daysLeft }),
      // On the 1st nothing is taken yet.
      span.yesterday >= span.from ? api.sales.daily({ from: span.from, to: span.yesterday }) : Promise.resolve({ items: [] }),
    ])
    const taken = new Map(totalsByCurrency(sales.items).map((total) => [total.currency, total.net]))
    return prediction.forecasts.map((forecast) => ({
      currency: forecast.currency, rest: forecast.total.point, ...monthEstimate(forecast, taken.get(forecast.currency) ?? 0),
    }))
  })

  return (
    <section class={`${card} space-y-2`} aria-labelledby="fleet-forecast-heading">
      <h2 id="fleet-forecast-heading" class={sectionHeading}>{t("forecast.month", { month: formatMonth(span.from) })}</h2>
      <Show when={month.error}>{(error) => <ForecastRefusal error={error()} />}</Show>
      <Show when={settled(month)} fallback={<Show when={!month.error}><Loading /></Show>}>
        {(estimates) => (
          <For each={estimates()}>
            {(m) => {
              const money = (minor: number) => formatMoney(minor, m.currency)
              return (
                <div class="space-y-1" data-testid="fleet-month-forecast">
                  <p class="text-2xl font-semibold tabular-nums">{t("forecast.monthTotal", { point: money(m.point) })}</p>
                  <p class="text-sm">{t("forecast.monthRange", { lo80: money(m.lo80), hi80: money(m.hi80), lo95: money(m.lo95), hi95: money(m.hi95) })}</p>
                  <p class={muted}>{t("forecast.monthTaken", { taken: money(m.taken), rest: money(m.rest), days: formatNumber(span.daysLeft) })}</p>
                </div>
              )
            }}
          </For>
        )}
      </Show>
    </section>
  )
}
