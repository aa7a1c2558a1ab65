// Register a kiosk (admin): the edge answers with its code and device token, which is shown only here, once.
import { A } from "@solidjs/router"
import { createSignal, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { RegisteredKiosk } from "../api/types.ts"
import { ErrorMessage, Notice } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { card, heading, primaryButton } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"
import { DeviceToken } from "../components/DeviceToken.tsx"

export default function RegisterKiosk() {
  const app = useApp()
  const [name, setName] = createSignal("")
  const [location, setLocation] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [registered, setRegistered] = createSignal<RegisteredKiosk | null>(null)

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      setRegistered(await app.api.kiosks.register({ name: name().trim(), location: location().trim() }))
      setName("")
      setLocation("")
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="max-w-2xl space-y-4" aria-labelledby="register-title">
      <h1 id="register-title" class={heading}>{t("register.title")}</h1>
      <Show when={registered()}>
        {(done) => (
          <div class="space-y-3">
            <Notice tone="success">
              {t("register.done", { name: done().kiosk.name, code: done().kiosk.code })}{" "}
              <A class="underline" href={`/kiosks/${encodeURIComponent(done().kiosk.id)}`}>{t("register.open")}</A>
            </Notice>
            <DeviceToken token={done().deviceToken} />
          </div>
        )}
      </Show>
      <form class={`${card} space-y-3`} onSubmit={(e) => void submit(e)}>
        <ErrorMessage error={error()} />
        <Field label={t("register.name")} name="name" required maxlength={80} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        <Field label={t("register.location")} name="location" maxlength={120} value={location()} onInput={(e) => setLocation(e.currentTarget.value)} />
        <button type="submit" class={primaryButton} disabled={busy()}>{t("register.submit")}</button>
      </form>
    </section>
  )
}
