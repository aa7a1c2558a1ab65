// Error and success messages, announced to screen readers, with the error text chosen by what went wrong.
import { Show } from "solid-js"
import { ApiError, NetworkError } from "../api/problem.ts"
import { t } from "../i18n/i18n.ts"

export { Notice } from "./Notice.tsx"

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

export function Loading() {
  return <p role="status" class="text-sm text-slate-600 dark:text-slate-400">{t("app.loading")}</p>
}
