// The evidence beside a forecast, in words: the method, its backtest against seasonal naive, the interval
// coverage it earned, the total over the horizon with its intervals, and the history it stands on.
import { Match, Show, Switch } from "solid-js"
import { ApiError } from "../api/problem.ts"
import type { CurrencyForecast } from "../api/types.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { muted } from "../components/styles.ts"
import { formatMoney, formatNumber, formatRatio, formatShare, t } from "../i18n/i18n.ts"
import { finite, notEnoughHistoryOf } from "./forecast.ts"

export function ForecastFacts(props: { forecast: CurrencyForecast }) {
  const money = (minor: number) => formatMoney(minor, props.forecast.currency)
  const ratio = (value: number | string) => { const n = finite(value); return n === undefined ? "–" : formatRatio(n) }
  const share = (value: number | string) => { const n = finite(value); return n === undefined ? "–" : formatShare(n) }
  return (
    <div class="space-y-1 text-sm" data-testid="forecast-facts">
      <p class="font-medium">{t("forecast.method", { method: t(`forecast.method.${props.forecast.method}`) })}</p>
      <p>
        {t("forecast.backtest", {
          heldOut: formatNumber(props.forecast.backtest.held_out_days), mase: ratio(props.forecast.backtest.mase),
          baseline: ratio(props.forecast.backtest.baseline_mase), coverage80: share(props.forecast.backtest.coverage_80),
          coverage95: share(props.forecast.backtest.coverage_95),
        })}
      </p>
      <Show when={props.forecast.daily.length > 0}>
        <p>
          {t("forecast.total", {
            days: formatNumber(props.forecast.daily.length), point: money(props.forecast.total.point), lo80: money(props.forecast.total.lo80),
            hi80: money(props.forecast.total.hi80), lo95: money(props.forecast.total.lo95), hi95: money(props.forecast.total.hi95),
          })}
        </p>
      </Show>
      <p class={muted}>
        {t("forecast.history", { observed: formatNumber(props.forecast.history.observed_days), offline: formatNumber(props.forecast.history.offline_days.length) })}
      </p>
    </div>
  )
}

/** Why there is no forecast to show: too little history (the edge's own numbers), not fitted yet, or a failure. */
export function ForecastRefusal(props: { error: unknown }) {
  const short = () => notEnoughHistoryOf(props.error)
  return (
    <Switch fallback={<ErrorMessage error={props.error} />}>
      <Match when={short()}>
        {(s) => <p class={muted} data-testid="forecast-not-enough">{t("forecast.notEnough", { days: formatNumber(s().days), need: formatNumber(s().need) })}</p>}
      </Match>
      <Match when={props.error instanceof ApiError && props.error.status === 503}>
        <p class={muted}>{t("forecast.notReady")}</p>
      </Match>
    </Switch>
  )
}
