// Sign in, then go back to where the session ended (?next=), or to the dashboard.
import { A, useNavigate, useSearchParams } from "@solidjs/router"
import { createSignal, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { ApiError } from "../api/problem.ts"
import { ErrorMessage, Notice } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { card, primaryButton } from "../components/styles.ts"
import { LOCALES, locale, setLocale, t, type Locale } from "../i18n/i18n.ts"

/** Only same-origin paths: `next` must not send the user to another site. */
export const safeNext = (next: unknown) =>
  typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/"

export default function Login() {
  const app = useApp()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [username, setUsername] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await app.api.auth.login(username(), password())
      navigate(safeNext(params.next), { replace: true })
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const wrongCredentials = () => {
    const failure = error()
    return failure instanceof ApiError && (failure.status === 401 || failure.status === 400)
  }
  // The per-address limit or the per-account slowdown: the edge's detail says how long to wait.
  const tooMany = () => {
    const failure = error()
    return failure instanceof ApiError && failure.status === 429 ? failure.problem.detail ?? "" : undefined
  }

  return (
    <main id="main" class="flex min-h-screen items-center justify-center px-4">
      <div class={`${card} w-full max-w-sm space-y-4`}>
        <div class="flex items-center justify-between">
          <h1 class="text-xl font-semibold">{t("app.name")} — {t("login.title")}</h1>
          <label class="sr-only" for="login-language">{t("app.language")}</label>
          <select id="login-language" class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
            value={locale()} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            {LOCALES.map((code) => <option value={code}>{code.toUpperCase()}</option>)}
          </select>
        </div>
        <Show when={params.expired && !error()}><Notice>{t("login.expired")}</Notice></Show>
        <form class="space-y-4" onSubmit={(e) => void submit(e)}>
          <Field label={t("login.username")} name="username" autocomplete="username" required
            value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
          <Field label={t("login.password")} name="password" type="password" autocomplete="current-password" required
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          <Show when={error()}>
            <Show when={wrongCredentials()} fallback={
              <Show when={tooMany() !== undefined} fallback={<ErrorMessage error={error()} />}>
                <div role="alert" class="text-sm text-red-700 dark:text-red-400">
                  <p>{t("login.tooMany")}</p>
                  <p class="text-xs">{tooMany()}</p>
                </div>
              </Show>
            }>
              <p role="alert" class="text-sm text-red-700 dark:text-red-400">{t("login.failed")}</p>
            </Show>
          </Show>
          <button type="submit" class={`${primaryButton} w-full`} disabled={busy()}>
            {busy() ? t("login.submitting") : t("login.submit")}
          </button>
        </form>
        <p class="text-sm">
          {t("login.noAccount")} <A class="underline" href="/signup">{t("login.signUp")}</A>
        </p>
      </div>
    </main>
  )
}
