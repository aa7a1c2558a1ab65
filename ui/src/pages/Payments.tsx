// Payments: filters in the address, cursor pages, live arrivals and refunds, and CSV export of the current filter.
import { useSearchParams } from "@solidjs/router"
import { batch, createResource, createSignal, For } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { Payment, PaymentQuery, PaymentStatus } from "../api/types.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { Field, SelectField } from "../components/Field.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { PaymentsTable } from "../components/PaymentsTable.tsx"
import { card, heading, secondaryButton } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"
import { applyPaymentEvent } from "../live/payments.ts"
import { useTopicAfter } from "../live/useTopic.ts"
import { paymentsCsv } from "../payments/csv.ts"
import { settled } from "../components/resource.ts"

const PAGE_SIZE = 50
const EXPORT_PAGE_SIZE = 500
const STATUSES: ReadonlyArray<PaymentStatus> = ["captured", "partially_refunded", "refunded"]
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined

/** Whether a payment belongs in the list the filter describes (for live arrivals). */
export function matchesFilter(payment: Payment, filter: PaymentQuery): boolean {
  const day = payment.occurredAt.slice(0, 10)
  return (!filter.kiosk_id || payment.kioskId === filter.kiosk_id)
    && (!filter.status || payment.status === filter.status)
    && (!filter.from || day >= filter.from)
    && (!filter.to || day <= filter.to)
}

export default function Payments() {
  const app = useApp()
  const [params, setParams] = useSearchParams()
  const pager = createCursorPager()
  const [exporting, setExporting] = createSignal(false)
  const [exportError, setExportError] = createSignal<unknown>(null)

  const filter = (): PaymentQuery => ({
    kiosk_id: one(params.kiosk), from: one(params.from), to: one(params.to), status: one(params.status) as PaymentStatus | undefined,
  })
  const setFilter = (patch: Record<string, string | undefined>) => batch(() => {
    pager.reset()
    setParams(patch, { replace: true })
  })

  const [page, { mutate, refetch }] = createResource(
    () => ({ ...filter(), limit: PAGE_SIZE, cursor: pager.cursor() }),
    (query) => app.api.payments.list(query),
  )

  // New payments appear on the first page; refunds update their row wherever it is.
  useTopicAfter(() => "payments", () => settled(page), (message) => {
    const latest = settled(page)
    if (!latest) return
    const active = filter()
    const onFirstPage = pager.page() === 1
    mutate({ ...latest, items: applyPaymentEvent(latest.items, message, (p) => onFirstPage && matchesFilter(p, active)) })
  })

  const exportCsv = async () => {
    setExporting(true)
    setExportError(null)
    try {
      const all: Payment[] = []
      let cursor: string | undefined
      do {
        const chunk = await app.api.payments.list({ ...filter(), limit: EXPORT_PAGE_SIZE, cursor })
        all.push(...chunk.items)
        cursor = chunk.next_cursor ?? undefined
      } while (cursor)
      const link = document.createElement("a")
      link.href = URL.createObjectURL(new Blob([paymentsCsv(all)], { type: "text/csv;charset=utf-8" }))
      link.download = `payments-${new Date().toISOString().slice(0, 10)}.csv`
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
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
      <form role="search" class={`${card} grid gap-3 sm:grid-cols-2 lg:grid-cols-4`} onSubmit={(e) => e.preventDefault()}>
        <Field label={t("payments.kiosk")} value={one(params.kiosk) ?? ""} onChange={(e) => setFilter({ kiosk: e.currentTarget.value.trim() || undefined })} />
        <Field label={t("payments.from")} type="date" value={one(params.from) ?? ""} onChange={(e) => setFilter({ from: e.currentTarget.value || undefined })} />
        <Field label={t("payments.to")} type="date" value={one(params.to) ?? ""} onChange={(e) => setFilter({ to: e.currentTarget.value || undefined })} />
        <SelectField label={t("payments.status")} value={one(params.status) ?? ""} onChange={(e) => setFilter({ status: e.currentTarget.value || undefined })}>
          <option value="">{t("app.all")}</option>
          <For each={STATUSES}>{(status) => <option value={status}>{t(`payments.status.${status}`)}</option>}</For>
        </SelectField>
      </form>
      <ErrorMessage error={page.error} onRetry={() => void refetch()} />
      <PagedList resource={page} pager={pager} empty={t("payments.empty")}>
        {(items) => (
          <PaymentsTable payments={items()}
            onRefunded={(payment) => mutate((latest) => latest && { ...latest, items: latest.items.map((p) => (p.id === payment.id ? payment : p)) })} />
        )}
      </PagedList>
    </div>
  )
}
