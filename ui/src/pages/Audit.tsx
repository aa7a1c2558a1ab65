// Audit: over a range of business days (and optionally one kiosk), the PAYMENTS stream replayed beside the read
// model's totals, every difference between them, where the seals and the last verify and reconciliation stand, and
// the replay itself as a CSV file the edge streams.
import { createResource, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { AuditStatus, ReconciliationQuery } from "../api/types.ts"
import { saveFile } from "../components/download.ts"
import { ErrorMessage, Loading } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { settled } from "../components/resource.ts"
import { card, heading, muted, secondaryButton, table, td, th } from "../components/styles.ts"
import { formatDateTime, formatDay, formatMoney, formatNumber, t } from "../i18n/i18n.ts"
import { presetRange } from "../payments/ranges.ts"

const ID = /^[a-z]{2,4}_[0-9a-z]{8,64}$/
const MONEY_FIELDS: ReadonlySet<string> = new Set(["gross", "refunds", "listed_gross"])
/** A difference's value: an amount (minor units) for the money fields, a count for the others. */
const amountOf = (field: string, value: number, currency: string) => (MONEY_FIELDS.has(field) ? formatMoney(value, currency) : formatNumber(value))

function StatusFacts(props: { status: AuditStatus }) {
  const seal = () => props.status.last_seal
  const reconciliation = () => props.status.last_reconciliation
  const verify = () => props.status.last_verify
  return (
    <dl class="grid gap-3 text-sm sm:grid-cols-3" data-testid="audit-status">
      <div>
        <dt class="font-medium">{t("audit.lastSeal")}</dt>
        <dd class={muted}>
          <Show when={seal()} fallback={t("audit.never")}>
            {(s) => t("audit.seal", { n: formatNumber(s().seal_no), seq: formatNumber(s().to_seq), at: formatDateTime(s().sealed_at) })}
          </Show>
        </dd>
      </div>
      <div>
        <dt class="font-medium">{t("audit.lastVerify")}</dt>
        <dd class={muted}>
          <Show when={verify()} fallback={t("audit.never")}>
            {(v) => t(v().finding_count === 0 ? "audit.verifyClean" : "audit.verifyFindings", {
              at: formatDateTime(v().at), checked: formatNumber(v().checked), findings: formatNumber(v().finding_count), seq: formatNumber(v().last_seq),
            })}
          </Show>
        </dd>
      </div>
      <div>
        <dt class="font-medium">{t("audit.lastReconciliation")}</dt>
        <dd class={muted}>
          <Show when={reconciliation()} fallback={t("audit.never")}>
            {(r) => t(r().difference_count === 0 ? "audit.reconciledClean" : "audit.reconciledDifferences", {
              at: formatDateTime(r().at), rows: formatNumber(r().rows), differences: formatNumber(r().difference_count),
            })}
          </Show>
        </dd>
      </div>
    </dl>
  )
}

export default function Audit() {
  const app = useApp()
  const initial = presetRange("last30", new Date())
  const [from, setFrom] = createSignal(initial.from ?? "")
  const [to, setTo] = createSignal(initial.to ?? "")
  const [kiosk, setKiosk] = createSignal("")
  const [downloading, setDownloading] = createSignal(false)
  const [downloadError, setDownloadError] = createSignal<unknown>(null)

  // The kiosk by its printed code (upper case) or its id, as on the payments page.
  const query = (): ReconciliationQuery => {
    const code = kiosk().trim()
    return { from: from() || undefined, to: to() || undefined, kiosk_id: code ? (ID.test(code) ? code : code.toUpperCase()) : undefined }
  }
  const [status, { refetch: refetchStatus }] = createResource(() => app.api.audit.status())
  const [reconciliation, { refetch }] = createResource(query, (range) => app.api.audit.reconciliation(range))

  const download = async () => {
    setDownloading(true)
    setDownloadError(null)
    try {
      const { file, name } = await app.api.audit.replayCsv(query())
      saveFile(file, name)
    } catch (failure) {
      setDownloadError(failure)
    } finally {
      setDownloading(false)
    }
  }

  return (
    <div class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class={heading}>{t("audit.title")}</h1>
        <button type="button" class={secondaryButton} disabled={downloading()} onClick={() => void download()}>
          {downloading() ? t("audit.downloading") : t("audit.download")}
        </button>
      </div>
      <p class={muted}>{t("audit.intro")}</p>
      <ErrorMessage error={downloadError()} />
      <form class={`${card} grid gap-3 sm:grid-cols-3`} aria-label={t("audit.range")} onSubmit={(e) => e.preventDefault()}>
        <Field label={t("payments.from")} type="date" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} />
        <Field label={t("payments.to")} type="date" value={to()} onChange={(e) => setTo(e.currentTarget.value)} />
        <Field label={t("payments.kiosk")} hint={t("payments.kioskHint")} value={kiosk()} onChange={(e) => setKiosk(e.currentTarget.value)} />
      </form>

      <section aria-labelledby="audit-trail-heading" class={card}>
        <h2 id="audit-trail-heading" class="mb-2 text-sm font-semibold">{t("audit.trail")}</h2>
        <ErrorMessage error={status.error} onRetry={() => void refetchStatus()} />
        <Show when={settled(status)}>{(current) => <StatusFacts status={current()} />}</Show>
      </section>

      <ErrorMessage error={reconciliation.error} onRetry={() => void refetch()} />
      <Show when={reconciliation.loading && reconciliation.latest === undefined}><Loading /></Show>
      <Show when={settled(reconciliation)}>
        {(result) => (
          <>
            <section aria-labelledby="audit-totals-heading" class={card}>
              <h2 id="audit-totals-heading" class="text-sm font-semibold">{t("audit.totals")}</h2>
              <p class={muted}>{t("audit.throughSeq", { seq: formatNumber(result().through_seq) })}</p>
              <Show when={result().totals.length > 0} fallback={<p class={muted}>{t("audit.noTotals")}</p>}>
                <table class={`${table} mt-2`} data-testid="audit-totals">
                  <thead>
                    <tr>
                      <th scope="col" class={th}>{t("audit.currency")}</th>
                      <th scope="col" class={th}>{t("audit.replayed")}</th>
                      <th scope="col" class={th}>{t("audit.readModel")}</th>
                    </tr>
                  </thead>
                  <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
                    <For each={result().totals}>
                      {(total) => (
                        <tr>
                          <td class={`${td} font-medium`}>{total.currency}</td>
                          <td class={`${td} tabular-nums`} data-label={t("audit.replayed")} data-testid="replayed-net">{formatMoney(total.replayed_net, total.currency)}</td>
                          <td class={`${td} tabular-nums`} data-label={t("audit.readModel")}>{formatMoney(total.read_model_net, total.currency)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </section>
            <section aria-labelledby="audit-differences-heading" class={card}>
              <h2 id="audit-differences-heading" class="text-sm font-semibold">{t("audit.differences")}</h2>
              <Show when={result().differences.length > 0} fallback={<p class={muted} data-testid="no-differences">{t("audit.noDifferences")}</p>}>
                <table class={`${table} mt-2`}>
                  <thead>
                    <tr>
                      <th scope="col" class={th}>{t("audit.day")}</th>
                      <th scope="col" class={th}>{t("payments.kiosk")}</th>
                      <th scope="col" class={th}>{t("audit.field")}</th>
                      <th scope="col" class={th}>{t("audit.replayed")}</th>
                      <th scope="col" class={th}>{t("audit.readModel")}</th>
                    </tr>
                  </thead>
                  <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
                    <For each={result().differences}>
                      {(difference) => (
                        <tr>
                          <td class={`${td} font-medium`}>{formatDay(difference.day)} · {difference.currency}</td>
                          <td class={`${td} break-all font-mono`} data-label={t("payments.kiosk")}>{difference.kiosk_id}</td>
                          <td class={td} data-label={t("audit.field")}>{t(`audit.field.${difference.field}`)}</td>
                          <td class={`${td} tabular-nums`} data-label={t("audit.replayed")}>{amountOf(difference.field, difference.replayed, difference.currency)}</td>
                          <td class={`${td} tabular-nums`} data-label={t("audit.readModel")}>{amountOf(difference.field, difference.read_model, difference.currency)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </section>
          </>
        )}
      </Show>
    </div>
  )
}
