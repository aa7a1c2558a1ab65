// My account (every role): change my own password (the current one is asked; my other sessions end), and choose
// which notifications reach me on which channel (sale receipts are off unless I turn them on).
import { createSignal, For } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { NotificationKinds, NotificationPreferences } from "../api/types.ts"
import { Field } from "../components/Field.tsx"
import { createSubmission, SubmissionOutcome } from "../components/submission.tsx"
import { card, heading, muted, primaryButton, sectionHeading, table, td, th } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"

const CHANNELS = ["email", "sms", "push"] as const
const KINDS = ["receipts", "refunds", "largePayments", "kioskStatus"] as const

export default function Account() {
  return (
    <div class="space-y-4">
      <h1 class={heading}>{t("account.title")}</h1>
      <ChangePassword />
      <Preferences />
    </div>
  )
}

function ChangePassword() {
  const app = useApp()
  const [current, setCurrent] = createSignal("")
  const [next, setNext] = createSignal("")
  const { busy, outcome, submit } = createSubmission(async () => {
    await app.api.auth.changePassword(current(), next())
    setCurrent("")
    setNext("")
  })
  return (
    <form class={`${card} grid gap-3 sm:grid-cols-2`} onSubmit={submit} aria-labelledby="password-heading">
      <h2 id="password-heading" class={`${sectionHeading} sm:col-span-2`}>{t("account.password")}</h2>
      <Field label={t("account.currentPassword")} type="password" autocomplete="current-password" required maxlength={200}
        value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />
      <Field label={t("account.newPassword")} type="password" autocomplete="new-password" required minlength={10} maxlength={200}
        hint={t("signup.passwordHint")} value={next()} onInput={(e) => setNext(e.currentTarget.value)} />
      <div class="sm:col-span-2 space-y-2">
        <button type="submit" class={primaryButton} disabled={busy()}>{t("account.changePassword")}</button>
        <SubmissionOutcome outcome={outcome()} success={t("account.passwordChanged")} />
      </div>
    </form>
  )
}

function Preferences() {
  const app = useApp()
  const initial = app.session.user()!.contact.preferences
  const [channels, setChannels] = createSignal<Omit<NotificationPreferences, "kinds">>({ email: initial.email, sms: initial.sms, push: initial.push })
  const [kinds, setKinds] = createSignal<NotificationKinds>(initial.kinds)
  const toggle = (kind: (typeof KINDS)[number], channel: (typeof CHANNELS)[number], on: boolean) =>
    setKinds({ ...kinds(), [kind]: { ...kinds()[kind], [channel]: on } })
  const { busy, outcome, submit } = createSubmission(async () => {
    const { user } = await app.api.auth.updateMe({ preferences: { ...channels(), kinds: kinds() } })
    app.session.setUser(user)
  })
  return (
    <form class={`${card} space-y-3`} onSubmit={submit} aria-labelledby="preferences-heading">
      <h2 id="preferences-heading" class={sectionHeading}>{t("account.notifications")}</h2>
      <fieldset>
        <legend class="mb-1 text-sm font-medium">{t("account.reachMeBy")}</legend>
        <div class="flex flex-wrap gap-4">
          <For each={CHANNELS}>
            {(channel) => (
              <label class="inline-flex items-center gap-2 text-sm">
                <input type="checkbox" class="size-4" checked={channels()[channel]}
                  onChange={(e) => setChannels({ ...channels(), [channel]: e.currentTarget.checked })} />
                {t(`users.pref.${channel}`)}
              </label>
            )}
          </For>
        </div>
      </fieldset>
      <p class={muted}>{t("account.kindsHint")}</p>
      <table class={table}>
        <caption class="sr-only">{t("account.kinds")}</caption>
        <thead>
          <tr>
            <th scope="col" class={th}>{t("account.kind")}</th>
            <For each={CHANNELS}>{(channel) => <th scope="col" class={th}>{t(`users.pref.${channel}`)}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={KINDS}>
            {(kind) => (
              <tr>
                <th scope="row" class={`${td} font-normal`}>{t(`account.kind.${kind}`)}</th>
                <For each={CHANNELS}>
                  {(channel) => (
                    <td class={td}>
                      <input type="checkbox" class="size-4" checked={kinds()[kind][channel]}
                        aria-label={`${t(`account.kind.${kind}`)}: ${t(`users.pref.${channel}`)}`}
                        onChange={(e) => toggle(kind, channel, e.currentTarget.checked)} />
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <button type="submit" class={primaryButton} disabled={busy()}>{t("app.save")}</button>
      <SubmissionOutcome outcome={outcome()} success={t("app.saved")} />
    </form>
  )
}
