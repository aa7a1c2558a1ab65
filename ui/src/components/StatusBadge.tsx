import type { Kiosk } from "../api/types.ts"
import { t } from "../i18n/i18n.ts"

const tones = {
  online: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  offline: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  unknown: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  decommissioned: "bg-slate-200 text-slate-800 line-through dark:bg-slate-700 dark:text-slate-100",
} as const

/** A kiosk's state in a word: decommissioned, else its connectivity. */
export function StatusBadge(props: { kiosk: Pick<Kiosk, "status" | "connectivity"> }) {
  const state = () => (props.kiosk.status === "decommissioned" ? "decommissioned" : props.kiosk.connectivity)
  return (
    <span class={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${tones[state()] ?? tones.unknown}`}>
      {t(`kiosk.status.${state()}`)}
    </span>
  )
}
