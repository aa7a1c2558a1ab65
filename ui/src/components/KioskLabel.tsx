// A kiosk as people know it: its name, linked to its page, and its printed code; the raw id only while neither
// is known yet.
import { A } from "@solidjs/router"
import { Show } from "solid-js"

export function KioskLabel(props: { id: string; code: string | null; name: string | null }) {
  return (
    <span class="flex min-w-0 flex-wrap items-baseline gap-x-2">
      <A href={`/kiosks/${encodeURIComponent(props.id)}`} class="truncate font-medium underline">{props.name ?? props.code ?? props.id}</A>
      <Show when={props.code && props.name}><span class="font-mono text-xs text-slate-600 dark:text-slate-400">{props.code}</span></Show>
    </span>
  )
}
