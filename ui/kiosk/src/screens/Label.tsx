// The kiosk's pairing label on its own screen, for an operator to scan from the console; refreshed when online
// (a pairing code changes when the kiosk is paired or handed over), shown from the last copy when not.
import { onCleanup, onMount, Show } from "solid-js"
import { card, heading, primaryButton } from "../../../src/components/styles.ts"
import { type Device, labelSource } from "../device.ts"
import { t } from "../i18n/i18n.ts"

const LABEL_REFRESH_MS = 15_000

export function Label(props: { device: Device; onDone: () => void }) {
  onMount(() => {
    void props.device.refreshLabel()
    // A label pairs once: after an operator scans it, the next one must show within moments.
    const timer = setInterval(() => void props.device.refreshLabel(), LABEL_REFRESH_MS)
    onCleanup(() => clearInterval(timer))
  })
  return (
    <main class="mx-auto max-w-xl space-y-4 p-4">
      <h1 class={heading}>{t("label.title")}</h1>
      <section class={`${card} space-y-4 text-center`}>
        <p class="text-sm">{t("label.intro")}</p>
        <Show when={props.device.label()} fallback={<p class="text-sm text-amber-700 dark:text-amber-400">{t("label.unavailable")}</p>}>
          {(svg) => <img src={labelSource(svg())} alt={t("label.alt")} class="mx-auto max-h-[60vh] w-auto rounded bg-white p-2" />}
        </Show>
        <button type="button" class={`${primaryButton} w-full py-3 text-base`} onClick={() => props.onDone()}>{t("label.continue")}</button>
      </section>
    </main>
  )
}
