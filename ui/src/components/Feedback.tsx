// Error and success messages, announced to screen readers, with the error text chosen by what went wrong.
import { Show, type JSX } from "solid-js"
import { ApiError, NetworkError } from "../api/problem.ts"
import { t } from "../i18n/i18n.ts"

export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return t("error.network")
  if (error instanceof ApiError) {
    if (error.status === 403) return t("error.forbidden")
    if (error.status >= 500 && error.problem.type === "about:blank" && !error.problem.detail) return t("error.network")
    return t("error.generic", { message: error.message })
  }
  return t("error.generic", { message: error instanceof Error ? error.message : String(error) })
}

export function ErrorMessage(props: { error: unknown; onRetry?: () => void }) {
  return (
    <Show when={props.error}>
      <div role="alert" class="flex flex-wrap items-center gap-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
        <span>{describeError(props.error)}</span>
        <Show when={props.onRetry}>
          <button type="button" class="underline" onClick={() => props.onRetry?.()}>{t("app.retry")}</button>
        </Show>
      </div>
    </Show>
  )
}

export function Notice(props: { children: JSX.Element; tone?: "success" | "info" | "warning" }) {
  const tones = {
    success: "border-green-300 bg-green-50 text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100",
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    warning: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  }
  return <div role="status" class={`rounded-md border p-3 text-sm ${tones[props.tone ?? "info"]}`}>{props.children}</div>
}

export function Loading() {
  return <p role="status" class="text-sm text-slate-600 dark:text-slate-400">{t("app.loading")}</p>
}
