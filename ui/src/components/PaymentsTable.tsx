// Payments as a table; admins get a refund button with a confirm step asking for the reason.
import { A } from "@solidjs/router"
import { createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { Payment } from "../api/types.ts"
import { formatDateTime, formatMoney, t } from "../i18n/i18n.ts"
import { ConfirmDialog } from "./ConfirmDialog.tsx"
import { ErrorMessage, Notice } from "./Feedback.tsx"
import { Field } from "./Field.tsx"
import { muted, secondaryButton, table, td, th } from "./styles.ts"

export function PaymentsTable(props: { payments: ReadonlyArray<Payment>; showKiosk?: boolean; onRefunded: (payment: Payment) => void }) {
  const app = useApp()
  const mayRefund = () => can(app.session.user()?.role, "refundPayment")
  const [refunding, setRefunding] = createSignal<Payment | null>(null)
  const [reason, setReason] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal(false)

  const refund = async () => {
    const payment = refunding()
    if (!payment) return
    setBusy(true)
    setError(null)
    try {
      props.onRefunded((await app.api.payments.refund(payment.id, reason())).payment)
      setRefunding(null)
      setDone(true)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Show when={done()}><Notice tone="success">{t("payments.refunded")}</Notice></Show>
      <Show when={props.payments.length > 0} fallback={<p class={muted}>{t("payments.empty")}</p>}>
        <div class="overflow-x-auto">
          <table class={table}>
            <thead>
              <tr>
                <th scope="col" class={th}>{t("payments.when")}</th>
                <Show when={props.showKiosk !== false}><th scope="col" class={th}>{t("payments.kiosk")}</th></Show>
                <th scope="col" class={`${th} text-right`}>{t("payments.amount")}</th>
                <th scope="col" class={th}>{t("payments.status")}</th>
                <Show when={mayRefund()}><th scope="col" class={th}><span class="sr-only">{t("payments.refund")}</span></th></Show>
              </tr>
            </thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
              <For each={props.payments}>
                {(payment) => (
                  <tr>
                    <td class={td}><time datetime={payment.occurredAt}>{formatDateTime(payment.occurredAt)}</time></td>
                    <Show when={props.showKiosk !== false}>
                      <td class={td}><A href={`/kiosks/${encodeURIComponent(payment.kioskId)}`} class="font-mono text-xs underline">{payment.kioskId}</A></td>
                    </Show>
                    <td class={`${td} text-right tabular-nums`}>{formatMoney(payment.amount, payment.currency)}</td>
                    <td class={td}>{t(`payments.status.${payment.status}`)}</td>
                    <Show when={mayRefund()}>
                      <td class={td}>
                        <Show when={payment.status === "recorded"}>
                          <button type="button" class={secondaryButton}
                            aria-label={`${t("payments.refund")} ${formatMoney(payment.amount, payment.currency)} ${payment.id}`}
                            onClick={() => { setReason(""); setError(null); setDone(false); setRefunding(payment) }}>
                            {t("payments.refund")}
                          </button>
                        </Show>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <ConfirmDialog open={refunding() !== null} busy={busy()}
        title={refunding() ? t("payments.refundTitle", { amount: formatMoney(refunding()!.amount, refunding()!.currency) }) : ""}
        confirmLabel={t("payments.refundConfirm")} onConfirm={() => void refund()} onCancel={() => setRefunding(null)}>
        <ErrorMessage error={error()} />
        <Field label={t("payments.refundReason")} required maxlength={200} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </ConfirmDialog>
    </>
  )
}
