// What a kiosk's keeper may change: language, currency, a new device token (after a rotation), the pairing label;
// and what they should see: the payments the server refused, with its reasons.
import { createSignal, For, Show } from "solid-js"
import { Notice } from "../../../src/components/Notice.tsx"
import { card, heading, secondaryButton, sectionHeading } from "../../../src/components/styles.ts"
import { InvalidCredential } from "../../../../src/kiosk-client/browser.ts"
import { CurrencyPicker } from "../CurrencyPicker.tsx"
import { APP_VERSION, type Device } from "../device.ts"
import { formatMoney, formatTime, locale, LOCALES, setLocale, t } from "../i18n/i18n.ts"
import { TokenForm } from "../TokenForm.tsx"

export function Settings(props: { device: Device; onBack: () => void; onLabel: () => void }) {
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  const [saved, setSaved] = createSignal(false)

  const rotate = async (token: string) => {
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await props.device.client.rotateCredential(token)
      setSaved(true)
    } catch (failure) {
      setError(failure instanceof InvalidCredential
        ? (/another kiosk/.test(failure.message) ? t("settings.otherKiosk") : t("setup.notAToken"))
        : failure instanceof Error ? failure.message : String(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="mx-auto max-w-xl space-y-4 p-4">
      <div class="flex items-center justify-between gap-2">
        <h1 class={heading}>{t("settings.title")}</h1>
        <button type="button" class={secondaryButton} onClick={() => props.onBack()}>{t("settings.back")}</button>
      </div>
      <section class={`${card} flex flex-wrap items-end gap-4`}>
        <div>
          <label for="language" class="mb-1 block text-sm font-medium">{t("settings.language")}</label>
          <select id="language" class="rounded-md border border-slate-400 bg-white px-3 py-2 text-sm dark:bg-slate-900"
            value={locale()} onChange={(e) => setLocale(e.currentTarget.value as (typeof LOCALES)[number])}>
            <For each={LOCALES}>{(code) => <option value={code}>{code === "en" ? "English" : "Español"}</option>}</For>
          </select>
        </div>
        <CurrencyPicker value={props.device.currency()} onChange={(code) => props.device.setCurrency(code)} />
        <button type="button" class={secondaryButton} onClick={() => props.onLabel()}>{t("settings.label")}</button>
      </section>
      <section class={`${card} space-y-3`} aria-labelledby="new-token">
        <h2 id="new-token" class={sectionHeading}>{t("settings.newToken")}</h2>
        <p class="text-sm">{t("settings.newTokenIntro")}</p>
        <TokenForm submitLabel={t("setup.submit")} busy={busy()} error={error()} onToken={(token) => void rotate(token)} />
        <Show when={saved()}><Notice tone="success">{t("settings.tokenSaved")}</Notice></Show>
      </section>
      <section class={`${card} space-y-2`} aria-labelledby="refused">
        <h2 id="refused" class={sectionHeading}>{t("settings.rejected")}</h2>
        <Show when={props.device.status().rejected.length > 0} fallback={<p class="text-sm">{t("settings.noneRejected")}</p>}>
          <ul class="divide-y divide-slate-200 text-sm dark:divide-slate-700">
            <For each={props.device.status().rejected}>
              {(r) => (
                <li class="py-2">
                  <span class="font-medium tabular-nums">{formatMoney(r.payment.amount, r.payment.currency)}</span>
                  {" · "}{formatTime(r.payment.occurredAt)}{" · "}<span class="font-mono">{r.payment.key.slice(0, 8).toUpperCase()}</span>
                  <p class="text-red-700 dark:text-red-400">{r.status}: {r.problem.detail}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <p class="text-xs text-slate-600 dark:text-slate-400">{t("settings.about", { id: props.device.client.kioskId, version: APP_VERSION })}</p>
    </main>
  )
}
