// Payments as a table on wide screens and as cards on phones (no sideways scrolling); each links to its payment
// page and its kiosk. Admins get a refund button with a confirm step asking for the amount and the reason.
import { A } from "@solidjs/router"
import { For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { Payment } from "../api/types.ts"
import { formatDateTime, formatMoney, t } from "../i18n/i18n.ts"
import { KioskLabel } from "./KioskLabel.tsx"
import { createRefund } from "./RefundDialog.tsx"
import { muted, secondaryButton, table, td, th } from "./styles.ts"

export function PaymentsTable(props: {
  payments: ReadonlyArray<Payment>
  showKiosk?: boolean
  /** The kiosk of a payment that arrived live (events carry ids only). */
  kioskOf?: (payment: Payment) => { code: string | null; name: string | null }
  onRefunded: (payment: Payment) => void
}) {
  const app = useApp()
  const mayRefund = () => can(app.session.user()?.role, "refundPayment")
  const kiosk = (payment: Payment) =>
    payment.kioskName !== null || props.kioskOf === undefined ? { code: payment.kioskCode, name: payment.kioskName } : props.kioskOf(payment)
  const refund = createRefund({ onRefunded: (payment) => props.onRefunded(payment), kioskName: (payment) => kiosk(payment).name ?? payment.kioskId })

  const refundButton = (payment: Payment) => (
    <Show when={mayRefund() && payment.net > 0}>
      <button type="button" class={secondaryButton} onClick={() => refund.open(payment)}>
        {t("payments.refund")}<span class="sr-only"> {formatMoney(payment.amount, payment.currency)} {payment.id}</span>
      </button>
    </Show>
  )
  const refundedText = (payment: Payment) => (payment.refunded > 0 ? formatMoney(payment.refunded, payment.currency) : t("app.none"))

  return (
    <>
      {refund.view}
      <Show when={props.payments.length > 0} fallback={<p class={`${muted} p-4`}>{t("payments.empty")}</p>}>
        <table class={`${table} hidden md:table`}>
          <caption class="sr-only">{t("payments.title")}</caption>
          <thead>
            <tr>
              <th scope="col" class={th}>{t("payments.when")}</th>
              <Show when={props.showKiosk !== false}><th scope="col" class={th}>{t("payments.kiosk")}</th></Show>
              <th scope="col" class={`${th} text-right`}>{t("payments.amount")}</th>
              <th scope="col" class={`${th} text-right`}>{t("payments.refundedAmount")}</th>
              <th scope="col" class={th}>{t("payments.status")}</th>
              <Show when={mayRefund()}><th scope="col" class={th}><span class="sr-only">{t("payments.refund")}</span></th></Show>
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
            <For each={props.payments}>
              {(payment) => (
                <tr>
                  <td class={td}>
                    <A href={`/payments/${encodeURIComponent(payment.id)}`} class="underline">
                      <time datetime={payment.occurredAt}>{formatDateTime(payment.occurredAt)}</time>
                    </A>
                  </td>
                  <Show when={props.showKiosk !== false}>
                    <td class={td}><KioskLabel id={payment.kioskId} {...kiosk(payment)} /></td>
                  </Show>
                  <td class={`${td} text-right tabular-nums`}>{formatMoney(payment.amount, payment.currency)}</td>
                  <td class={`${td} text-right tabular-nums`}>{refundedText(payment)}</td>
                  <td class={td}>{t(`payments.status.${payment.status}`)}</td>
                  <Show when={mayRefund()}><td class={td}>{refundButton(payment)}</td></Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <ul class="divide-y divide-slate-200 md:hidden dark:divide-slate-700" aria-label={t("payments.title")}>
          <For each={props.payments}>
            {(payment) => (
              <li class="flex flex-col gap-1 p-3">
                <div class="flex items-baseline justify-between gap-3">
                  <A href={`/payments/${encodeURIComponent(payment.id)}`} class="text-lg font-semibold tabular-nums underline">
                    {formatMoney(payment.amount, payment.currency)}
                  </A>
                  <span class="text-sm">{t(`payments.status.${payment.status}`)}</span>
                </div>
                <div class={`${muted} flex flex-wrap gap-x-3`}>
                  <time datetime={payment.occurredAt}>{formatDateTime(payment.occurredAt)}</time>
                  <Show when={payment.refunded > 0}><span>{t("payments.refundedAmount")}: {refundedText(payment)}</span></Show>
                </div>
                <Show when={props.showKiosk !== false}><KioskLabel id={payment.kioskId} {...kiosk(payment)} /></Show>
                <div>{refundButton(payment)}</div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  )
}
