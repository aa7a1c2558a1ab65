// Always on screen: online or not, how many sales wait, when the last one reached the server, and what needs
// someone's attention (a refused device token, refused payments).
import { createSignal, onCleanup, Show } from "solid-js"
import type { Device } from "./device.ts"
import { formatRelative, formatTime, t } from "./i18n/i18n.ts"

export function StatusBar(props: { device: Device; onSettings: () => void }) {
  // Relative times ("2 minutes ago") move on even when nothing else changes.
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 5_000)
  onCleanup(() => clearInterval(timer))
  const status = () => props.device.status()
  const online = () => props.device.online() && status().reachable !== false
  const oldest = () => status().oldestQueuedAt

  return (
    <footer role="status" aria-label={t("status.label")}
      class="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-300 bg-white px-4 py-2 text-sm dark:border-slate-700 dark:bg-slate-900">
      <span data-online={online()} class="inline-flex items-center gap-1.5 font-medium">
        <span aria-hidden="true" class={`h-2.5 w-2.5 rounded-full ${online() ? "bg-green-600" : "bg-red-600"}`} />
        {online() ? t("status.online") : t("status.offline")}
      </span>
      <span data-queued={status().queueDepth}>
        {t("status.queued", { n: status().queueDepth })}
        <Show when={oldest()}>{(at) => <> ({t("status.oldest", { age: formatRelative(at(), now()) })})</>}</Show>
      </span>
      <span>
        <Show when={status().lastDelivered} fallback={t("status.noneDelivered")}>
          {(last) => t("status.lastDelivered", { time: formatTime(last().at) })}
        </Show>
      </span>
      <Show when={status().credentialRefused}>
        <button type="button" class="font-medium text-red-700 underline dark:text-red-400" onClick={() => props.onSettings()}>{t("status.refused")}</button>
      </Show>
      <Show when={status().rejected.length > 0}>
        <button type="button" class="font-medium text-amber-700 underline dark:text-amber-400" onClick={() => props.onSettings()}>
          {t("status.rejected", { n: status().rejected.length })}
        </button>
      </Show>
    </footer>
  )
}
