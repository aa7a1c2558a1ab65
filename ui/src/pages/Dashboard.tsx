// Today's net sales per currency, kiosks online/offline, payments as they arrive, and the last 30 days.
import { A } from "@solidjs/router"
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import { FleetMonthForecast } from "../forecast/FleetMonthForecast.tsx"
import { SalesChart } from "../components/chart/SalesChart.tsx"
import { ErrorMessage, Loading } from "../components/Feedback.tsx"
import { SelectField } from "../components/Field.tsx"
import { card, heading, muted, sectionHeading } from "../components/styles.ts"
import { formatMoney, formatNumber, formatTime, t, tn } from "../i18n/i18n.ts"
import { createKioskLabels } from "../kiosks/labels.ts"
import { KioskLabel } from "../components/KioskLabel.tsx"
import { feedEntryFromEvent, feedEntryFromPayment, type FeedEntry } from "../live/payments.ts"
import { throttle, useTopic, useTopicAfter } from "../live/useTopic.ts"
import { lastDays, totalsByCurrency } from "../sales/series.ts"
import { settled } from "../components/resource.ts"

const FEED_SIZE = 15

export default function Dashboard() {
  const { api, session } = useApp()
  const days = lastDays(30, new Date())
  const today = days[days.length - 1]!
  const [minSeq, setMinSeq] = createSignal<number | undefined>(undefined)

  const [sales, { refetch: refetchSales }] = createResource(
    () => ({ from: days[0]!, to: today, min_seq: minSeq() }),
    (query) => api.sales.daily(query),
  )
  const [kiosks, { refetch: refetchKiosks }] = createResource(() => api.kiosks.summary())
  const [recent] = createResource(() => api.payments.list({ limit: FEED_SIZE }))
  const [feed, setFeed] = createSignal<ReadonlyArray<FeedEntry>>([])
  const labels = createKioskLabels(api)

  const todayTotals = createMemo(() => totalsByCurrency((settled(sales)?.items ?? []).filter((row) => row.date === today)))
  const currencies = createMemo(() => totalsByCurrency(settled(sales)?.items ?? []).map((total) => total.currency))
  const [chosenCurrency, setChosenCurrency] = createSignal<string | null>(null)
  const chartCurrency = () => chosenCurrency() ?? currencies()[0] ?? null

  // Sales are re-read, at least as new as the last event (min_seq), after a burst of payments, not on every one.
  let latestSeq: number | undefined
  const refreshSales = throttle(() => setMinSeq(latestSeq), 1_500)

  // The feed starts from the list just read and continues from its stream position, so nothing falls between.
  createEffect(on(() => settled(recent), (page) => {
    if (!page) return
    for (const p of page.items) labels.remember(p.kioskId, { code: p.kioskCode, name: p.kioskName })
    setFeed(page.items.map(feedEntryFromPayment))
  }))
  useTopicAfter(() => "payments", () => settled(recent), (message) => {
    const entry = feedEntryFromEvent(message)
    if (!entry) return
    setFeed((current) => [entry, ...current.filter((e) => e.key !== entry.key)].slice(0, FEED_SIZE))
    latestSeq = message.seq
    refreshSales()
  })

  useTopic("kiosks", (message) => {
    if (message.event.type === "KioskCameOnline" || message.event.type === "KioskWentOffline" || message.event.type === "KioskRegistered") {
      void refetchKiosks()
    }
  })

  return (
    <div class="space-y-6">
      <h1 class={heading}>{t("dashboard.title")}</h1>
      <div class="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <section class={card} aria-labelledby="today-heading">
          <h2 id="today-heading" class={sectionHeading}>{t("dashboard.today")}</h2>
          <ErrorMessage error={sales.error} onRetry={() => void refetchSales()} />
          <Show when={!sales.error && (!sales.loading || settled(sales))} fallback={<Show when={!sales.error}><Loading /></Show>}>
            <Show when={todayTotals().length > 0} fallback={<p class={muted}>{t("dashboard.todayEmpty")}</p>}>
              <ul class="mt-2 space-y-1" data-testid="today-sales">
                <For each={todayTotals()}>
                  {(total) => (
                    <li class="flex items-baseline justify-between gap-3">
                      <span class="text-2xl font-semibold tabular-nums">{formatMoney(total.net, total.currency)}</span>
                      <span class={muted}>{tn("payments.count", total.count)}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </section>
        <section class={card} aria-labelledby="kiosks-heading">
          <h2 id="kiosks-heading" class={sectionHeading}>{t("dashboard.kiosks")}</h2>
          <ErrorMessage error={kiosks.error} onRetry={() => void refetchKiosks()} />
          <Show when={settled(kiosks)} fallback={<Show when={!kiosks.error}><Loading /></Show>}>
            {(summary) => (
              <dl class="mt-2 grid grid-cols-3 gap-3">
                <div>
                  <dt class={muted}>{t("dashboard.online")}</dt>
                  <dd class="text-2xl font-semibold text-green-700 tabular-nums dark:text-green-400">
                    <A href="/kiosks?status=online">{formatNumber(summary().online)}</A>
                  </dd>
                </div>
                <div>
                  <dt class={muted}>{t("dashboard.offline")}</dt>
                  <dd class="text-2xl font-semibold text-red-700 tabular-nums dark:text-red-400">
                    <A href="/kiosks?status=offline">{formatNumber(summary().offline)}</A>
                  </dd>
                </div>
                <div>
                  <dt class={muted}>{t("dashboard.unknown")}</dt>
                  <dd class="text-2xl font-semibold tabular-nums">
                    <A href="/kiosks?status=unknown">{formatNumber(summary().unknown)}</A>
                  </dd>
                </div>
              </dl>
            )}
          </Show>
        </section>
        <Show when={can(session.user()?.role, "viewFleetForecast")}>
          <FleetMonthForecast />
        </Show>
      </div>
      <div class="grid items-start gap-4 lg:grid-cols-3">
        <section class={`${card} lg:col-span-2`} aria-labelledby="sales30-heading">
          <div class="flex flex-wrap items-end justify-between gap-3">
            <h2 id="sales30-heading" class={sectionHeading}>{t("dashboard.sales30")}</h2>
            <Show when={currencies().length > 1}>
              <SelectField label={t("dashboard.currency")} class="w-32" value={chartCurrency() ?? ""} onChange={(e) => setChosenCurrency(e.currentTarget.value)}>
                <For each={currencies()}>{(code) => <option value={code}>{code}</option>}</For>
              </SelectField>
            </Show>
          </div>
          <Show when={chartCurrency()} fallback={<Show when={!sales.loading && !sales.error}><p class={muted}>{t("dashboard.sales30Empty")}</p></Show>}>
            {(currency) => (
              <SalesChart title={t("dashboard.sales30")} rows={settled(sales)?.items ?? []} currency={currency()} days={days} />
            )}
          </Show>
        </section>
        <section class={card} aria-labelledby="feed-heading">
          <h2 id="feed-heading" class={sectionHeading}>{t("dashboard.feed")}</h2>
          <ErrorMessage error={recent.error} />
          <Show when={feed().length > 0} fallback={<Show when={!recent.error}><p class={muted}>{t("dashboard.feedEmpty")}</p></Show>}>
            <ol class="mt-2 divide-y divide-slate-200 dark:divide-slate-700" aria-live="polite" data-testid="live-feed">
              <For each={feed()}>
                {(entry) => (
                  <li class="flex items-baseline justify-between gap-3 py-2">
                    <span class="min-w-0">
                      <span class="block text-sm"><KioskLabel id={entry.kioskId} {...labels.labelOf(entry.kioskId)} /></span>
                      <span class={muted}>{formatTime(entry.at)}{entry.kind === "refund" ? ` · ${t("payments.status.refunded")}` : ""}</span>
                    </span>
                    <A href={`/payments/${encodeURIComponent(entry.paymentId)}`}
                      class={`font-semibold tabular-nums underline ${entry.kind === "refund" ? "text-red-700 dark:text-red-400" : ""}`}>
                      {formatMoney(entry.amount, entry.currency)}<span class="sr-only"> — {t("dashboard.openPayment")}</span>
                    </A>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </section>
      </div>
    </div>
  )
}
