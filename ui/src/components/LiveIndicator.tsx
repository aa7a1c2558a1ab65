// Whether live updates are flowing: a coloured dot and a word, not colour alone.
import { Match, Switch } from "solid-js"
import type { LiveState } from "../live/socket.ts"
import { t } from "../i18n/i18n.ts"

export function LiveIndicator(props: { state: LiveState }) {
  const label = () =>
    props.state === "open" ? t("live.open")
    : props.state === "connecting" ? t("live.connecting")
    : props.state === "reconnecting" ? t("live.reconnecting")
    : t("live.closed")
  return (
    <span role="status" aria-label={t("live.status", { state: label() })} class="inline-flex items-center gap-1.5 text-xs font-medium">
      <Switch fallback={<span class="size-2.5 rounded-full bg-slate-400" aria-hidden="true" />}>
        <Match when={props.state === "open"}><span class="size-2.5 rounded-full bg-green-600" aria-hidden="true" /></Match>
        <Match when={props.state === "connecting" || props.state === "reconnecting"}>
          <span class="size-2.5 animate-pulse rounded-full bg-amber-500" aria-hidden="true" />
        </Match>
      </Switch>
      <span aria-hidden="true">{label()}</span>
    </span>
  )
}
