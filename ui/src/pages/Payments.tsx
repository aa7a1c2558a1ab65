// Payments: search, date presets and filters in the address (shareable, back button works), the totals of all that
// matches, cursor pages with live arrivals and refunds, and a CSV export of every matching row (the edge streams it).
import { useSearchParams } from "@solidjs/router"
import { batch, createResource, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { Payment, PaymentFilter, PaymentStatus } from "../api/types.ts"
import { saveFile } from "../components/download.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { Field, SelectField } from "../components/Field.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { PaymentsTable } from "../components/PaymentsTable.tsx"
import { settled } from "../components/resource.ts"
import { card, heading, muted, secondaryButton } from "../components/styles.ts"
import { formatMoney, t, tn } from "../i18n/i18n.ts"
import { createKioskLabels } from "../kiosks/labels.ts"
import { applyPaymentEvent } from "../live/payments.ts"
import { throttle, useTopicAfter } from "../live/useTopic.ts"
import { type Preset, PRESETS, presetOf, presetRange } from "../payments/ranges.ts"
import { PAYMENT_STATUSES } from "../../../src/shared/index.ts"

const PAGE_SIZE = 50
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined
const ID = /^[a-z]{2,4}_[0-9a-z]{8,64}$/

/** Whether a live payment belongs in the list the filter describes (a search or a kiosk code: the edge decides). */
export function matchesFilter(payment: Payment, filter: PaymentFilter): boolean {
  const day = payment.occurredAt.slice(0, 10)
  return !filter.q
    && (!filter.kiosk_id || payment.kioskId === filter.kiosk_id)
    && (!filter.status || payment.status === filter.status)
    && (!filter.from || day >= filter.from)
    && (!filter.to || day <= filter.to)
}

export default function Payments() {
  const app = useApp()
  const [params, setParams] = useSearchParams()
  const pager = createCursorPager()
  const labels = createKioskLabels(app.api)
  const [exporting, setExporting] = createSignal(false)
  const [exportError, setExportError] = createSignal<unknown>(null)
  const [search, setSearch] = createSignal(one(params.q) ?? "")

  // The kiosk filter takes the printed code as well as the id; codes are upper case.
  const kioskParam = () => {
    const value = one(params.kiosk)?.trim()
    return value && !ID.test(value) ? value.toUpperCase() : value
  }
  const filter = (): PaymentFilter => ({
    kiosk_id: kioskParam(), from: one(params.from), to: one(params.to), q: one(params.q),
    status: one(params.status) as PaymentStatus | undefined,
  })
  const setFilter = (patch: Record<string, string | undefined>) => batch(() => {
    pager.reset()
    setParams(patch, { replace: true })
  })
  let typing: ReturnType<typeof setTimeout> | undefined
  const onSearch = (value: string) => {
    setSearch(value)
    clearTimeout(typing)
    typing = setTimeout(() => setFilter({ q: value.trim() || undefined }), 300)
  }
  const preset = () => presetOf({ from: one(params.from), to: one(params.to) }, new Date())
  const choosePreset = (value: string) => {
    if (value === "custom") return
    const range = presetRange(value as Preset, new Date())
    setFilter({ from: range.from, to: range.to })
  }

  const [page, { mutate, refetch }] = createResource(
    () => ({ ...filter(), limit: PAGE_SIZE, cursor: pager.cursor() }),
    (query) => app.api.payments.list(query),
  )
  const [totals, { refetch: refetchTotals }] = createResource(filter, (query) => app.api.payments.totals(query))
  const retotal = throttle(() => void refetchTotals(), 1_500)

  // New payments appear on the first page; refunds update their row wherever it is; the totals follow.
  useTopicAfter(() => "payments", () => settled(page), (message) => {
    const latest = settled(page)
    if (!latest) return
    const active = filter()
    const onFirstPage = pager.page() === 1
    mutate({ ...latest, items: applyPaymentEvent(latest.items, message, (p) => onFirstPage && matchesFilter(p, active)) })
    retotal()
  })

  const exportCsv = async () => {
    setExporting(true)
    setExportError(null)
    try {
      const { file, name } = await app.api.payments.exportCsv(filter())
      saveFile(file, name)
    } catch (failure) {
      setExportError(failure)
    } finally {
      setExporting(false)
    }
  }

  return (
    <div class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class={heading}>{t("payments.title")}</h1>
        <button type="button" class={secondaryButton} disabled={exporting()} onClick={() => void exportCsv()}>
          {exporting() ? t("payments.exporting") : t("payments.export")}
        </button>
      </div>
      <ErrorMessage error={exportError()} />
      <form role="search" class={`${card} grid gap-3 sm:grid-cols-2 lg:grid-cols-6`} onSubmit={(e) => e.preventDefault()}>
        <Field label={t("payments.search")} type="search" class="sm:col-span-2" hint={t("payments.searchHint")}
          value={search()} onInput={(e) => onSearch(e.currentTarget.value)} />
        <SelectField label={t("payments.period")} value={preset()} onChange={(e) => choosePreset(e.currentTarget.value)}>
          <For each={PRESETS}>{(name) => <option value={name}>{t(`range.${name}`)}</option>}</For>
          <Show when={preset() === "custom"}><option value="custom">{t("range.custom")}</option></Show>
        </SelectField>
        <Field label={t("payments.from")} type="date" value={one(params.from) ?? ""} onChange={(e) => setFilter({ from: e.currentTarget.value || undefined })} />
        <Field label={t("payments.to")} type="date" value={one(params.to) ?? ""} onChange={(e) => setFilter({ to: e.currentTarget.value || undefined })} />
        <SelectField label={t("payments.status")} value={one(params.status) ?? ""} onChange={(e) => setFilter({ status: e.currentTarget.value || undefined })}>
          <option value="">{t("app.all")}</option>
          <For each={PAYMENT_STATUSES}>{(status) => <option value={status}>{t(`payments.status.${status}`)}</option>}</For>
        </SelectField>
        <Field label={t("payments.kiosk")} hint={t("payments.kioskHint")} class="sm:col-span-2" value={one(params.kiosk) ?? ""}
          onChange={(e) => setFilter({ kiosk: e.currentTarget.value.trim() || undefined })} />
      </form>
      <section aria-labelledby="totals-heading" class={card}>
        <h2 id="totals-heading" class="text-sm font-semibold">{t("payments.totals")}</h2>
        <ErrorMessage error={totals.error} onRetry={() => void refetchTotals()} />
        <Show when={settled(totals)}>
          {(current) => (
            <Show when={current().items.length > 0} fallback={<p class={muted}>{t("payments.totalsNone")}</p>}>
              <ul class="mt-1 space-y-1" data-testid="payment-totals">
                <For each={current().items}>
                  {(total) => (
                    <li class="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-sm">
                      <span class="text-base font-semibold tabular-nums">{formatMoney(total.net, total.currency)}</span>
                      <span>{tn("payments.count", total.count)}</span>
                      <span class={muted}>{t("payments.totalsGross", { amount: formatMoney(total.gross, total.currency) })}</span>
                      <span class={muted}>{t("payments.totalsRefunded", { amount: formatMoney(total.refunded, total.currency) })}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </section>
      <ErrorMessage error={page.error} onRetry={() => void refetch()} />
      <PagedList resource={page} pager={pager} empty={t("payments.empty")}>
        {(items) => (
          <PaymentsTable payments={items()} kioskOf={(payment) => labels.labelOf(payment.kioskId)}
            onRefunded={(payment) => {
              mutate((latest) => latest && { ...latest, items: latest.items.map((p) => (p.id === payment.id ? payment : p)) })
              retotal()
            }} />
        )}
      </PagedList>
    </div>
  )
}
