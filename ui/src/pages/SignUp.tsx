// Public sign-up (operators only; the edge may have it turned off). The edge judges the password: a refusal
// shows under the password field with the estimator's advice, and other field errors under their fields.
import { A, useNavigate } from "@solidjs/router"
import { createSignal, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { ApiError, fieldErrorsOf, weakPasswordAdvice } from "../api/problem.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { card, primaryButton } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"

export interface SignUpErrors {
  readonly username?: string | undefined
  readonly displayName?: string | undefined
  readonly password?: string | undefined
  /** A refusal about the whole form, in the console's words. */
  readonly notice?: string
  /** Anything else (network, 5xx): shown as the generic error. */
  readonly form?: unknown
}

/** What to say under each field, or for the whole form, when sign-up is refused. */
export function signUpErrors(error: unknown): SignUpErrors {
  if (!(error instanceof ApiError)) return { form: error }
  if (error.status === 409) return { username: t("signup.taken") }
  if (error.status === 403) return { notice: t("signup.closed") }
  if (error.status === 429) return { notice: t("login.tooMany") }
  const advice = weakPasswordAdvice(error)
  if (advice !== undefined) return { password: [t("signup.weakPassword"), advice].filter(Boolean).join(" ") }
  const fields = fieldErrorsOf(error)
  const shown = { username: fields.username, displayName: fields["contact.displayName"], password: fields.password }
  return Object.values(shown).some(Boolean) ? shown : { form: error }
}

export default function SignUp() {
  const app = useApp()
  const navigate = useNavigate()
  const [username, setUsername] = createSignal("")
  const [displayName, setDisplayName] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const errors = (): SignUpErrors => (error() === null ? {} : signUpErrors(error()))

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await app.api.auth.register({ username: username().trim(), password: password(), displayName: displayName().trim() || undefined })
      navigate("/", { replace: true })
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main id="main" class="flex min-h-screen items-center justify-center px-4">
      <div class={`${card} w-full max-w-sm space-y-4`}>
        <h1 class="text-xl font-semibold">{t("app.name")} — {t("signup.title")}</h1>
        <form class="space-y-4" onSubmit={(e) => void submit(e)}>
          <Field label={t("login.username")} name="username" autocomplete="username" required minlength={3} maxlength={40}
            hint={t("signup.usernameHint")} error={errors().username}
            value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
          <Field label={t("signup.displayName")} name="displayName" autocomplete="name" maxlength={80} error={errors().displayName}
            value={displayName()} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          <Field label={t("login.password")} name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={200}
            hint={t("signup.passwordHint")} error={errors().password}
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          <Show when={errors().notice}><p role="alert" class="text-sm text-red-700 dark:text-red-400">{errors().notice}</p></Show>
          <ErrorMessage error={errors().form} />
          <button type="submit" class={`${primaryButton} w-full`} disabled={busy()}>
            {busy() ? t("signup.submitting") : t("signup.submit")}
          </button>
        </form>
        <p class="text-sm">
          {t("signup.haveAccount")} <A class="underline" href="/login">{t("signup.signIn")}</A>
        </p>
      </div>
    </main>
  )
}
