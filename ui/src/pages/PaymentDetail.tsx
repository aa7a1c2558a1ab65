// One payment: its id, kiosk, operator and times, what is left after its refunds (each with its reason), and the
// events of its subject in the PAYMENTS stream with their sequence numbers, who appended them and the correlation
// id. Admins refund from here too; a refund made anywhere shows up live.
import { A, useParams } from "@solidjs/router"
import { createResource, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { Payment, PaymentDetail as Detail, PaymentHistoryEntry } from "../api/types.ts"
import { CopyButton } from "../components/CopyButton.tsx"
import { ErrorMessage, Loading } from "../components/Feedback.tsx"
import { KioskLabel } from "../components/KioskLabel.tsx"
import { createRefund } from "../components/RefundDialog.tsx"
import { settled } from "../components/resource.ts"
import { card, heading, muted, secondaryButton, sectionHeading } from "../components/styles.ts"
import { formatDateTime, formatMoney, t, tn } from "../i18n/i18n.ts"
import { useTopic } from "../live/useTopic.ts"

const statusTone = {
  captured: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  partially_refunded: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  refunded: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
} as const

const EVENT_NAMES = ["PaymentRecorded", "PaymentRefunded"] as const
type KnownEvent = (typeof EVENT_NAMES)[number]
const isKnown = (type: string): type is KnownEvent => (EVENT_NAMES as ReadonlyArray<string>).includes(type)

export default function PaymentDetail() {
  const app = useApp()
  const params = useParams<{ id: string }>()
  const mayRefund = () => can(app.session.user()?.role, "refundPayment")
  const [detail, { mutate, refetch }] = createResource<Detail, { id: string }, { minSeq: number }>(
    () => ({ id: params.id }),
    // refetch({ minSeq }) after a live event: the edge waits until its read model has that event.
    ({ id }, info) => app.api.payments.get(id, typeof info.refetching === "object" ? info.refetching.minSeq : undefined),
  )
  let newest = 0
  const refund = createRefund({
    onRefunded: (payment, seq) => {
      const current = settled(detail)
      if (current) mutate({ ...current, payment: { ...current.payment, ...payment } })
      // The history gains the refund's event: read again once the read model has it.
      newest = Math.max(newest, seq)
      void refetch({ minSeq: seq })
    },
    kioskName: (payment) => payment.kioskName ?? payment.kioskCode ?? payment.kioskId,
  })

  // A refund of this payment made elsewhere (another admin, the API): read the page again at least as new as its
  // event. A refund made here comes back as an event too: a sequence already asked for is not asked again.
  useTopic("payments", (message) => {
    if ((message.event.data as { paymentId?: unknown }).paymentId !== params.id) return
    if (message.seq <= newest) return
    newest = message.seq
    void refetch({ minSeq: message.seq })
  })

  return (
    <div class="space-y-4">
      <p><A href="/payments" class="text-sm underline">← {t("payment.back")}</A></p>
      <ErrorMessage error={detail.error} onRetry={() => void refetch()} />
      <Show when={settled(detail)} fallback={<Show when={!detail.error}><Loading /></Show>}>
        {(current) => {
          const payment = () => current().payment
          return (
            <>
              <div class="flex flex-wrap items-center gap-3">
                <h1 class={heading}>{t("payment.title", { amount: formatMoney(payment().amount, payment().currency) })}</h1>
                <span class={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[payment().status]}`}>
                  {t(`payments.status.${payment().status}`)}
                </span>
                <Show when={mayRefund() && payment().net > 0}>
                  <button type="button" class={`${secondaryButton} ml-auto`} onClick={() => refund.open(payment())}>{t("payments.refund")}</button>
                </Show>
              </div>
              {refund.view}
              <div class="grid items-start gap-4 lg:grid-cols-2">
                <section class={card} aria-labelledby="payment-details-heading">
                  <h2 id="payment-details-heading" class={sectionHeading}>{t("payment.details")}</h2>
                  <Facts payment={payment()} />
                </section>
                <section class={card} aria-labelledby="payment-refunds-heading">
                  <h2 id="payment-refunds-heading" class={sectionHeading}>{t("payment.refunds")}</h2>
                  <Refunds payment={payment()} />
                </section>
              </div>
              <section class={card} aria-labelledby="payment-history-heading">
                <h2 id="payment-history-heading" class={sectionHeading}>{t("payment.history")}</h2>
                <p class={muted}>{t("payment.historyHint")}</p>
                <History detail={current()} />
              </section>
            </>
          )
        }}
      </Show>
    </div>
  )
}

function Facts(props: { payment: Payment }) {
  const p = () => props.payment
  const money = (minor: number) => formatMoney(minor, p().currency)
  return (
    <dl class="mt-2 grid gap-x-6 gap-y-3 sm:grid-cols-2">
      <div class="sm:col-span-2">
        <dt class={muted}>{t("payment.id")}</dt>
        <dd class="flex flex-wrap items-center gap-2">
          <code class="font-mono text-sm break-all" data-testid="payment-id">{p().id}</code>
          <CopyButton value={p().id} label={t("payment.copyId")} />
        </dd>
      </div>
      <div><dt class={muted}>{t("payments.kiosk")}</dt><dd><KioskLabel id={p().kioskId} code={p().kioskCode} name={p().kioskName} /></dd></div>
      <div><dt class={muted}>{t("kiosk.operator")}</dt><dd>{p().operatorName ?? p().operatorId ?? t("kiosks.unassigned")}</dd></div>
      <div>
        <dt class={muted}>{t("payment.occurredAt")}</dt>
        <dd><time datetime={p().occurredAt}>{formatDateTime(p().occurredAt)}</time></dd>
      </div>
      <div>
        <dt class={muted}>{t("payment.recordedAt")}</dt>
        <dd><time datetime={p().recordedAt}>{formatDateTime(p().recordedAt)}</time></dd>
      </div>
      <div><dt class={muted}>{t("payments.amount")}</dt><dd class="tabular-nums">{money(p().amount)}</dd></div>
      <div><dt class={muted}>{t("payments.refundedAmount")}</dt><dd class="tabular-nums">{p().refunded > 0 ? money(p().refunded) : t("app.none")}</dd></div>
      <div><dt class={muted}>{t("payment.net")}</dt><dd class="font-semibold tabular-nums">{money(p().net)}</dd></div>
      <div><dt class={muted}>{t("payment.currency")}</dt><dd>{p().currency}</dd></div>
    </dl>
  )
}

function Refunds(props: { payment: Payment }) {
  return (
    <Show when={props.payment.refunds.length > 0} fallback={<p class={`${muted} mt-2`}>{t("payment.noRefunds")}</p>}>
      <p class={`${muted} mt-1`}>{tn("payment.refundCount", props.payment.refunds.length)}</p>
      <ol class="mt-2 divide-y divide-slate-200 dark:divide-slate-700" data-testid="payment-refunds">
        <For each={props.payment.refunds}>
          {(refund) => (
            <li class="py-2">
              <div class="flex flex-wrap items-baseline justify-between gap-x-3">
                <span class="font-semibold text-red-700 tabular-nums dark:text-red-400">−{formatMoney(refund.amount, props.payment.currency)}</span>
                <time class={muted} datetime={refund.refundedAt}>{formatDateTime(refund.refundedAt)}</time>
              </div>
              <p class="text-sm break-words">{refund.reason || <span class={muted}>{t("payment.noReason")}</span>}</p>
              <p class="font-mono text-xs break-all text-slate-600 dark:text-slate-400">{refund.id}</p>
            </li>
          )}
        </For>
      </ol>
    </Show>
  )
}

function History(props: { detail: Detail }) {
  const actor = (entry: PaymentHistoryEntry) => {
    const p = props.detail.payment
    const kioskName = entry.actor.kind === "kiosk" && entry.actor.id === p.kioskId ? (p.kioskName ?? p.kioskCode) : null
    const who = entry.actor.name ?? kioskName ?? entry.actor.id ?? ""
    return [t(`payment.actor.${entry.actor.kind}`), who, entry.actor.role ? `(${entry.actor.role})` : ""].filter(Boolean).join(" ")
  }
  const value = (key: string, raw: unknown, data: Record<string, unknown>) => {
    if (typeof raw === "number" && (key === "amount" || key === "refunded") && typeof data.currency === "string") return formatMoney(raw, data.currency)
    return raw === null ? t("app.none") : String(raw)
  }
  return (
    <ol class="mt-3 space-y-3" data-testid="payment-history">
      <For each={props.detail.history}>
        {(entry) => (
          <li class="rounded-md border border-slate-200 p-3 dark:border-slate-700">
            <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <span class="font-mono text-sm font-semibold" title={t("payment.seqHint")}>{t("payment.seq", { seq: entry.seq })}</span>
              <For each={entry.events}>{(event) => <span class="font-medium">{isKnown(event.type) ? t(`payment.event.${event.type}`) : event.type}</span>}</For>
              <time class={muted} datetime={entry.time}>{formatDateTime(entry.time)}</time>
            </div>
            <p class={`${muted} break-words`}>{t("payment.by", { actor: actor(entry) })}</p>
            <p class="text-xs break-all text-slate-600 dark:text-slate-400">{t("payment.correlation", { id: entry.correlationId })}</p>
            <For each={entry.events}>
              {(event) => (
                <dl class="mt-2 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
                  <For each={Object.entries(event.data)}>
                    {([key, raw]) => (
                      <>
                        <dt class="font-mono text-slate-600 dark:text-slate-400">{key}</dt>
                        <dd class="font-mono break-all">{value(key, raw, event.data)}</dd>
                      </>
                    )}
                  </For>
                </dl>
              )}
            </For>
          </li>
        )}
      </For>
    </ol>
  )
}
