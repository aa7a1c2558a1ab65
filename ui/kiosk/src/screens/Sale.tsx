// The till: an amount keypad in the kiosk's currency and a Charge button. The sale is durable on the device when
// the receipt shows; delivering it is the client library's job, online or not.
import { createSignal, For, onCleanup, onMount, Show } from "solid-js"
import { primaryButton, secondaryButton } from "../../../src/components/styles.ts"
import type { QueuedPayment } from "../../../../src/kiosk-client/browser.ts"
import type { Device } from "../device.ts"
import { formatMoney, t } from "../i18n/i18n.ts"
import { type Key, KEYS, keyOf, press } from "../keypad.ts"

export function Sale(props: { device: Device; onTaken: (payment: QueuedPayment) => void }) {
  const [amount, setAmount] = createSignal(0)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  const tap = (key: Key) => setAmount((current) => press(current, key))

  const charge = async () => {
    if (amount() === 0 || busy()) return
    setBusy(true)
    setError(null)
    try {
      props.onTaken(await props.device.client.recordPayment({ amount: amount(), currency: props.device.currency() }))
    } catch (failure) {
      setError(t("sale.failed", { message: failure instanceof Error ? failure.message : String(failure) }))
    } finally {
      setBusy(false)
    }
  }

  const onKey = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return
    if (event.key === "Enter") return void charge()
    const key = keyOf(event)
    if (key !== undefined) tap(key)
  }
  onMount(() => window.addEventListener("keydown", onKey))
  onCleanup(() => window.removeEventListener("keydown", onKey))

  const label = (key: Key) => (key === "back" ? "⌫" : key)
  return (
    <main class="mx-auto flex max-w-md flex-col gap-4 p-4">
      <h1 class="sr-only">{t("sale.title")}</h1>
      <output aria-label={t("sale.amount")} aria-live="polite"
        class="block rounded-lg bg-white p-4 text-right text-5xl font-semibold tabular-nums shadow-sm dark:bg-slate-900">
        {formatMoney(amount(), props.device.currency())}
      </output>
      <div role="group" aria-label={t("sale.keypad")} class="grid grid-cols-3 gap-2">
        <For each={KEYS}>
          {(key) => (
            <button type="button" class={`${secondaryButton} h-16 text-2xl`} aria-label={key === "back" ? t("sale.back") : key}
              onClick={() => tap(key)}>{label(key)}</button>
          )}
        </For>
      </div>
      <div class="grid grid-cols-3 gap-2">
        <button type="button" class={`${secondaryButton} h-14`} onClick={() => tap("clear")}>{t("sale.clear")}</button>
        <button type="button" class={`${primaryButton} col-span-2 h-14 text-lg`} disabled={amount() === 0 || busy()} onClick={() => void charge()}>
          {t("sale.charge", { amount: formatMoney(amount(), props.device.currency()) })}
        </button>
      </div>
      <Show when={error()}><p role="alert" class="text-sm text-red-700 dark:text-red-400">{error()}</p></Show>
    </main>
  )
}
