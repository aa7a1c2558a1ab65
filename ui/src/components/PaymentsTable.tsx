// Payments as a table; admins get a refund button with a confirm step asking for the amount and the reason.
import { A } from "@solidjs/router"
import { createSignal, For, Show } from "solid-js"
import { formatMinor, isCurrency } from "../../../src/commands/shared/currency.ts"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { Payment } from "../api/types.ts"
import { formatDateTime, formatMoney, t } from "../i18n/i18n.ts"
import { parseMinor } from "../payments/amount.ts"
import { ConfirmDialog } from "./ConfirmDialog.tsx"
import { ErrorMessage, Notice } from "./Feedback.tsx"
import { Field } from "./Field.tsx"
import { muted, secondaryButton, table, td, th } from "./styles.ts"

interface Refunding { payment: Payment; idempotencyKey: string }

export function PaymentsTable(props: { payments: ReadonlyArray<Payment>; showKiosk?: boolean; onRefunded: (payment: Payment) => void }) {
  const app = useApp()
  const mayRefund = () => can(app.session.user()?.role, "refundPayment")
  const [refunding, setRefunding] = createSignal<Refunding | null>(null)
  const [amount, setAmount] = createSignal("")
  const [reason, setReason] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal(false)

  const open = (payment: Payment) => {
    setAmount(isCurrency(payment.currency) ? formatMinor(payment.net, payment.currency) : String(payment.net))
    setReason("")
    setError(null)
    setDone(false)
    setRefunding({ payment, idempotencyKey: crypto.randomUUID() })
  }
  const minor = () => {
    const current = refunding()
    if (!current) return null
    const value = parseMinor(amount(), current.payment.currency)
    return value !== null && value > 0 && value <= current.payment.net ? value : null
  }
  const refund = async () => {
    const current = refunding()
    const value = minor()
    if (!current || value === null) return
    setBusy(true)
    setError(null)
    try {
      const answer = await app.api.payments.refund(current.payment.id, { amount: value, reason: reason() }, current.idempotencyKey)
      // A command's answer may leave out what only the read model knows (when it happened): keep ours.
      // The refund's id goes with it, so its live event (which may come after this answer) is not counted again.
      const refunds = [...(current.payment.refunds ?? []), ...(answer.refund ? [{ id: answer.refund.id }] : [])]
      props.onRefunded({ ...current.payment, ...answer.payment, refunds })
      setRefunding(null)
      setDone(true)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  const maxText = () => {
    const current = refunding()
    return current ? formatMoney(current.payment.net, current.payment.currency) : ""
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
                <th scope="col" class={`${th} text-right`}>{t("payments.refundedAmount")}</th>
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
                    <td class={`${td} text-right tabular-nums`}>{payment.refunded > 0 ? formatMoney(payment.refunded, payment.currency) : t("app.none")}</td>
                    <td class={td}>{t(`payments.status.${payment.status}`)}</td>
                    <Show when={mayRefund()}>
                      <td class={td}>
                        <Show when={payment.net > 0}>
                          <button type="button" class={secondaryButton} onClick={() => open(payment)}>
                            {t("payments.refund")}<span class="sr-only"> {formatMoney(payment.amount, payment.currency)} {payment.id}</span>
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
      <ConfirmDialog open={refunding() !== null} busy={busy() || minor() === null}
        title={t("payments.refundTitle", { amount: minor() === null ? maxText() : formatMoney(minor()!, refunding()!.payment.currency) })}
        confirmLabel={t("payments.refundConfirm")} onConfirm={() => void refund()} onCancel={() => setRefunding(null)}>
        <ErrorMessage error={error()} />
        <Field label={t("payments.refundAmount", { currency: refunding()?.payment.currency ?? "" })} inputmode="decimal" required
          hint={t("payments.refundAmountHint", { max: maxText() })}
          error={amount() && minor() === null ? t("payments.refundAmountInvalid", { max: maxText() }) : null}
          value={amount()} onInput={(e) => setAmount(e.currentTarget.value)} />
        <Field label={t("payments.refundReason")} maxlength={200} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </ConfirmDialog>
    </>
  )
}
