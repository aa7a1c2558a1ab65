// The refund step every payment view shares (lists, cards, the payment page): a confirm dialog asking for the amount
// (at most what is left) and the reason, one idempotency key per opening, and a notice that says what was refunded
// for a few seconds, not forever.
import { createSignal, onCleanup, Show, type JSX } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { Payment } from "../api/types.ts"
import { formatMoney, t } from "../i18n/i18n.ts"
import { minorToDecimal, parseMinor } from "../payments/money.ts"
import { ConfirmDialog } from "./ConfirmDialog.tsx"
import { ErrorMessage } from "./Feedback.tsx"
import { Field } from "./Field.tsx"
import { Notice } from "./Notice.tsx"

interface Refunding { payment: Payment; idempotencyKey: string }

/** How long the "refunded" confirmation stays: it says what just happened, not what is true forever. */
export const REFUNDED_NOTICE_MS = 6_000

export function createRefund(options: {
  /** The payment after the refund, as the page should show it, and the refund event's PAYMENTS sequence. */
  onRefunded: (payment: Payment, seq: number) => void
  /** The kiosk's name for the notice. */
  kioskName: (payment: Payment) => string
}): { open: (payment: Payment) => void; view: JSX.Element } {
  const app = useApp()
  const [refunding, setRefunding] = createSignal<Refunding | null>(null)
  const [amount, setAmount] = createSignal("")
  const [reason, setReason] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal<string | null>(null)
  let clearNotice: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(clearNotice))

  const open = (payment: Payment) => {
    setAmount(minorToDecimal(payment.net, payment.currency))
    setReason("")
    setError(null)
    setDone(null)
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
      // A command's answer leaves out what only the read model knows (names, times): keep ours. The refund goes
      // into the list, so its live event (which may come after this answer) is not counted again.
      const refunds = [...current.payment.refunds, { id: answer.refund.id, amount: answer.refund.amount, reason: reason(), refundedAt: new Date().toISOString() }]
      options.onRefunded({ ...current.payment, ...answer.payment, refunds }, answer.seq)
      setRefunding(null)
      setDone(t("payments.refundedNotice", { amount: formatMoney(value, current.payment.currency), kiosk: options.kioskName(current.payment) }))
      clearTimeout(clearNotice)
      clearNotice = setTimeout(() => setDone(null), REFUNDED_NOTICE_MS)
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

  const view = (
    <>
      <Show when={done()}>{(text) => <Notice tone="success">{text()}</Notice>}</Show>
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
  return { open, view }
}
