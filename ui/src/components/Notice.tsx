// A message in a coloured box, announced to screen readers. Free of the console's text, so the kiosk app uses it too.
import type { JSX } from "solid-js"

export function Notice(props: { children: JSX.Element; tone?: "success" | "info" | "warning" }) {
  const tones = {
    success: "border-green-300 bg-green-50 text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100",
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    warning: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  }
  return <div role="status" class={`rounded-md border p-3 text-sm ${tones[props.tone ?? "info"]}`}>{props.children}</div>
}
