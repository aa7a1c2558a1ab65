// The receipt of one sale, and what became of it: kept on the kiosk, sent, or refused by the server (live).
import { Match, Switch } from "solid-js"
import { card, heading, primaryButton } from "../../../src/components/styles.ts"
import type { QueuedPayment } from "../../../../src/kiosk-client/browser.ts"
import type { Device } from "../device.ts"
import { formatMoney, formatTime, t } from "../i18n/i18n.ts"

export function Receipt(props: { device: Device; payment: QueuedPayment; onNext: () => void }) {
  const fate = () => {
    const status = props.device.status()
    const refused = status.rejected.find((r) => r.payment.key === props.payment.key)
    if (refused !== undefined) return { kind: "rejected" as const, detail: refused.problem.detail }
    return { kind: props.device.client.isQueued(props.payment.key) ? "queued" as const : "delivered" as const }
  }
  return (
    <main class="mx-auto max-w-md space-y-4 p-4">
      <section class={`${card} space-y-3 text-center`} aria-labelledby="receipt-title">
        <h1 id="receipt-title" class={heading}>{t("receipt.title")}</h1>
        <p class="text-5xl font-semibold tabular-nums">{formatMoney(props.payment.amount, props.payment.currency)}</p>
        <dl class="grid grid-cols-2 gap-1 text-sm">
          <dt class="text-right text-slate-600 dark:text-slate-400">{t("receipt.time")}</dt>
          <dd class="text-left">{formatTime(props.payment.occurredAt)}</dd>
          <dt class="text-right text-slate-600 dark:text-slate-400">{t("receipt.reference")}</dt>
          <dd class="text-left font-mono">{props.payment.key.slice(0, 8).toUpperCase()}</dd>
        </dl>
        <p data-fate={fate().kind} aria-live="polite" class="text-sm">
          <Switch>
            <Match when={fate().kind === "queued"}>{t("receipt.queued")}</Match>
            <Match when={fate().kind === "delivered"}>{t("receipt.delivered")}</Match>
            <Match when={fate().kind === "rejected"}>{t("receipt.rejected", { detail: (fate() as { detail: string }).detail })}</Match>
          </Switch>
        </p>
        <button type="button" class={`${primaryButton} w-full py-3 text-base`} onClick={() => props.onNext()}>{t("receipt.next")}</button>
      </section>
    </main>
  )
}
