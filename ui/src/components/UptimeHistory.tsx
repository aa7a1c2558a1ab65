// A kiosk's uptime over the last days: the share online, the time offline, a strip with each offline period in red
// over the range (for the eye), and the same periods as a list, newest first (for everyone).
import { createMemo, createSignal, For, Show } from "solid-js"
import type { KioskUptime } from "../api/types.ts"
import { formatDateTime, formatDay, formatDuration, formatPercent, t, tn } from "../i18n/i18n.ts"
import { uptimeStrip } from "../kiosks/uptime.ts"
import { muted, secondaryButton } from "./styles.ts"

const SHOWN = 8

export function UptimeHistory(props: { uptime: KioskUptime }) {
  const [all, setAll] = createSignal(false)
  const newestFirst = createMemo(() => [...props.uptime.periods].reverse())
  const shown = () => (all() ? newestFirst() : newestFirst().slice(0, SHOWN))
  return (
    <div class="mt-2 space-y-3" data-testid="uptime">
      <dl class="flex flex-wrap gap-x-8 gap-y-2">
        <div>
          <dt class={muted}>{t("uptime.online")}</dt>
          <dd class="text-2xl font-semibold tabular-nums">{props.uptime.online === null ? t("app.none") : formatPercent(props.uptime.online)}</dd>
        </div>
        <div>
          <dt class={muted}>{t("uptime.offline")}</dt>
          <dd class="text-2xl font-semibold tabular-nums">{formatDuration(props.uptime.offlineSeconds)}</dd>
        </div>
        <div>
          <dt class={muted}>{t("uptime.periods")}</dt>
          <dd class="text-2xl font-semibold tabular-nums">{props.uptime.periods.length}</dd>
        </div>
      </dl>
      <div aria-hidden="true">
        <div class="relative h-4 overflow-hidden rounded bg-green-600 dark:bg-green-500">
          <For each={uptimeStrip(props.uptime)}>
            {(segment) => (
              <span class={`absolute inset-y-0 ${segment.open ? "bg-red-800 dark:bg-red-400" : "bg-red-600 dark:bg-red-500"}`}
                style={{ left: `${segment.left}%`, width: `${segment.width}%` }} />
            )}
          </For>
        </div>
        <div class={`${muted} mt-1 flex justify-between text-xs`}>
          <span>{formatDay(props.uptime.from.slice(0, 10))}</span>
          <span>{t("uptime.now")}</span>
        </div>
      </div>
      <Show when={props.uptime.periods.length > 0} fallback={<p class={muted}>{t("uptime.none")}</p>}>
        <ol class="divide-y divide-slate-200 text-sm dark:divide-slate-700" aria-label={t("uptime.list")}>
          <For each={shown()}>
            {(period) => (
              <li class="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
                <span>
                  <Show when={period.backAt} fallback={t("uptime.since", { from: formatDateTime(period.offlineFrom) })}>
                    {(back) => t("uptime.between", { from: formatDateTime(period.offlineFrom), to: formatDateTime(back()) })}
                  </Show>
                </span>
                <span class="tabular-nums text-slate-700 dark:text-slate-300">{formatDuration(period.seconds)}</span>
              </li>
            )}
          </For>
        </ol>
        <Show when={newestFirst().length > SHOWN}>
          <button type="button" class={secondaryButton} onClick={() => setAll(!all())} aria-expanded={all()}>
            {all() ? t("uptime.fewer") : tn("uptime.all", newestFirst().length)}
          </button>
        </Show>
      </Show>
    </div>
  )
}
