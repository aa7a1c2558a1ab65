// First run: the device token, pasted or scanned, checked with the edge before the kiosk adopts it (by fetching
// the kiosk's own pairing label, which the next screen shows), and the currency the kiosk sells in.
import { createSignal, Show } from "solid-js"
import { Notice } from "../../../src/components/Notice.tsx"
import { card, heading } from "../../../src/components/styles.ts"
import { fetchPairingLabel } from "../../../../src/kiosk-client/browser.ts"
import { CurrencyPicker } from "../CurrencyPicker.tsx"
import { type Device, openDevice, storeCurrency, storedCurrency, storeLabel } from "../device.ts"
import { t } from "../i18n/i18n.ts"
import { TokenForm } from "../TokenForm.tsx"

export function Setup(props: { onReady: (device: Device) => void }) {
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  const [unchecked, setUnchecked] = createSignal(false)
  const [currency, setCurrency] = createSignal(storedCurrency())

  const adopt = async (token: string) => {
    setBusy(true)
    setError(null)
    try {
      const check = await fetchPairingLabel({ baseUrl: "", deviceToken: token })
      if (check.kind === "not-a-token") return setError(t("setup.notAToken"))
      if (check.kind === "refused") return setError(t("setup.refused", { detail: check.detail }))
      // Unreachable: the token has the right shape, so the kiosk keeps it and sells; the edge will judge it later.
      if (check.kind === "unreachable") setUnchecked(true)
      if (check.kind === "label") storeLabel(check.svg)
      storeCurrency(currency())
      const device = await openDevice(token)
      if (device !== "needs-token") props.onReady(device)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="mx-auto max-w-xl space-y-4 p-4">
      <h1 class={heading}>{t("setup.title")}</h1>
      <section class={`${card} space-y-4`}>
        <p class="text-sm">{t("setup.intro")}</p>
        <CurrencyPicker value={currency()} onChange={setCurrency} />
        <TokenForm submitLabel={t("setup.submit")} busy={busy()} error={error()} onToken={(token) => void adopt(token)} />
        <Show when={unchecked()}><Notice tone="warning">{t("setup.unchecked")}</Notice></Show>
      </section>
    </main>
  )
}
