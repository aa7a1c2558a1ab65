// Users (admin): change a role, deactivate (with a confirm step), edit contact details and notification choices.
import { batch, createResource, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { Contact, Role, User } from "../api/types.ts"
import { ConfirmDialog } from "../components/ConfirmDialog.tsx"
import { ErrorMessage, Notice } from "../components/Feedback.tsx"
import { Field, SelectField } from "../components/Field.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { heading, muted, primaryButton, secondaryButton, table, td, th } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"
import { settled } from "../components/resource.ts"

const ROLES: ReadonlyArray<Role> = ["admin", "operator", "auditor"]

export default function Users() {
  const app = useApp()
  const pager = createCursorPager()
  // After an add, the list is read at least as new as the add (min_seq): a busy read model shows the new user too.
  const [minSeq, setMinSeq] = createSignal<number>()
  const [page, { mutate, refetch }] = createResource(
    () => ({ limit: 50, cursor: pager.cursor(), ...(minSeq() === undefined ? {} : { min_seq: minSeq() }) }),
    (q) => app.api.auth.users({ ...q, sort: "username" }),
  )
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal<string | null>(null)
  const [deactivating, setDeactivating] = createSignal<User | null>(null)
  const [editing, setEditing] = createSignal<string | null>(null)
  const [adding, setAdding] = createSignal(false)
  const [resetting, setResetting] = createSignal<User | null>(null)

  const replace = (user: User) => {
    const latest = settled(page)
    if (latest) mutate({ ...latest, items: latest.items.map((u) => (u.id === user.id ? user : u)) })
  }
  const act = async (action: () => Promise<void>) => {
    setError(null)
    setNotice(null)
    try { await action(); setNotice(t("app.saved")) } catch (failure) { setError(failure) }
  }
  const changeRole = (user: User, role: Role) => act(async () => replace((await app.api.auth.updateUser(user.id, { role })).user))
  const deactivate = (user: User) => act(async () => {
    const answer = await app.api.auth.deactivateUser(user.id)
    replace(answer?.user ?? { ...user, active: false })
    setDeactivating(null)
  })

  const added = (username: string, seq: number) => {
    setAdding(false)
    batch(() => {
      pager.reset()
      setMinSeq(seq)
    })
    setNotice(t("users.added", { name: username }))
  }
  const reset = (user: User, password: string) => act(async () => {
    await app.api.auth.resetPassword(user.id, password)
    setResetting(null)
  }).then(() => { if (!error()) setNotice(t("users.resetDone", { name: user.username })) })

  return (
    <div class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class={heading}>{t("users.title")}</h1>
        <button type="button" class={primaryButton} onClick={() => setAdding(true)}>{t("users.add")}</button>
      </div>
      <ErrorMessage error={error() ?? page.error} onRetry={page.error ? () => void refetch() : undefined} />
      <Show when={notice()}><Notice tone="success">{notice()}</Notice></Show>
      <PagedList resource={page} pager={pager} empty={t("users.empty")}>
        {(items) => (
              <table class={table}>
                <caption class="sr-only">{t("users.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col" class={th}>{t("users.username")}</th>
                    <th scope="col" class={th}>{t("users.role")}</th>
                    <th scope="col" class={th}>{t("users.email")}</th>
                    <th scope="col" class={th}>{t("kiosks.status")}</th>
                    <th scope="col" class={th}><span class="sr-only">{t("users.edit")}</span></th>
                  </tr>
                </thead>
                <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
                  <For each={items()}>
                    {(user) => (
                      <>
                        <tr>
                          <td class={td}>
                            <span class="font-medium">{user.username}</span>
                            <Show when={user.contact?.displayName}><span class={`block ${muted}`}>{user.contact.displayName}</span></Show>
                          </td>
                          <td class={td} data-label={t("users.role")}>
                            <label class="sr-only" for={`role-${user.id}`}>{t("users.role")} {user.username}</label>
                            <select id={`role-${user.id}`} class="rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900"
                              value={user.role} disabled={!user.active || user.id === app.session.user()?.id}
                              onChange={(e) => void changeRole(user, e.currentTarget.value as Role)}>
                              <For each={ROLES}>{(role) => <option value={role}>{t(`role.${role}`)}</option>}</For>
                            </select>
                          </td>
                          <td class={td} data-label={t("users.email")}>{user.contact?.email ?? t("app.none")}</td>
                          <td class={td} data-label={t("kiosks.status")}>{user.active ? t("users.active") : t("users.inactive")}</td>
                          <td class={td}>
                            <div class="flex flex-wrap gap-2">
                              <button type="button" class={secondaryButton} aria-expanded={editing() === user.id}
                                onClick={() => setEditing(editing() === user.id ? null : user.id)}>
                                {t("users.edit")}<span class="sr-only"> {user.username}</span>
                              </button>
                              <Show when={user.active && user.id !== app.session.user()?.id}>
                                <button type="button" class={secondaryButton} onClick={() => setResetting(user)}>
                                  {t("users.resetPassword")}<span class="sr-only"> {user.username}</span>
                                </button>
                                <button type="button" class={secondaryButton} onClick={() => setDeactivating(user)}>
                                  {t("users.deactivate")}<span class="sr-only"> {user.username}</span>
                                </button>
                              </Show>
                            </div>
                          </td>
                        </tr>
                        <Show when={editing() === user.id}>
                          <tr>
                            <td colSpan={5} class={td}>
                              <ContactForm contact={user.contact}
                                onSave={(contact) => act(async () => { replace((await app.api.auth.updateUser(user.id, { contact })).user); setEditing(null) })} />
                            </td>
                          </tr>
                        </Show>
                      </>
                    )}
                  </For>
                </tbody>
              </table>
        )}
      </PagedList>
      <AddUserDialog open={adding()} onAdded={added} onCancel={() => setAdding(false)} />
      <ResetPasswordDialog user={resetting()} onReset={(user, password) => reset(user, password)} onCancel={() => setResetting(null)} />
      <ConfirmDialog open={deactivating() !== null} title={t("users.deactivate")} confirmLabel={t("users.deactivate")}
        onConfirm={() => { const user = deactivating(); if (user) void deactivate(user) }} onCancel={() => setDeactivating(null)}>
        <p>{t("users.deactivateConfirm", { name: deactivating()?.username ?? "" })}</p>
      </ConfirmDialog>
    </div>
  )
}

function ContactForm(props: { contact: Contact; onSave: (contact: Contact) => Promise<void> }) {
  const [displayName, setDisplayName] = createSignal(props.contact.displayName ?? "")
  const [email, setEmail] = createSignal(props.contact.email ?? "")
  const [phone, setPhone] = createSignal(props.contact.phone ?? "")
  const [language, setLanguage] = createSignal(props.contact.language)
  const [preferences, setPreferences] = createSignal(props.contact.preferences)
  const [busy, setBusy] = createSignal(false)
  const orNull = (value: string) => value.trim() || null

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    try {
      await props.onSave({ displayName: orNull(displayName()), email: orNull(email()), phone: orNull(phone()), language: language(), preferences: preferences() })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="grid gap-3 sm:grid-cols-2" onSubmit={(e) => void submit(e)}>
      <Field label={t("users.displayName")} maxlength={80} value={displayName()} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      <Field label={t("users.email")} type="email" maxlength={254} value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
      <Field label={t("users.phone")} type="tel" pattern="\+[1-9][0-9]{6,14}" value={phone()} onInput={(e) => setPhone(e.currentTarget.value)} />
      <SelectField label={t("users.language")} value={language()} onChange={(e) => setLanguage(e.currentTarget.value as Contact["language"])}>
        <option value="en">English</option>
        <option value="es">Español</option>
      </SelectField>
      <fieldset class="sm:col-span-2">
        <legend class="mb-1 text-sm font-medium">{t("users.preferences")}</legend>
        <div class="flex flex-wrap gap-4">
          <For each={["email", "sms", "push"] as const}>
            {(channel) => (
              <label class="inline-flex items-center gap-2 text-sm">
                <input type="checkbox" class="size-4" checked={preferences()[channel]}
                  onChange={(e) => setPreferences({ ...preferences(), [channel]: e.currentTarget.checked })} />
                {t(`users.pref.${channel}`)}
              </label>
            )}
          </For>
        </div>
      </fieldset>
      <div class="sm:col-span-2">
        <button type="submit" class={primaryButton} disabled={busy()}>{t("app.save")}</button>
      </div>
    </form>
  )
}

function AddUserDialog(props: { open: boolean; onAdded: (username: string, seq: number) => void; onCancel: () => void }) {
  const app = useApp()
  const [username, setUsername] = createSignal("")
  const [role, setRole] = createSignal<Role>("operator")
  const [email, setEmail] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const submit = async () => {
    setBusy(true)
    setError(null)
    try {
      const contact = email().trim() ? { email: email().trim() } : undefined
      const { seq } = await app.api.auth.addUser({ username: username().trim(), role: role(), password: password(), ...(contact ? { contact } : {}) })
      props.onAdded(username().trim(), seq)
      setUsername(""); setEmail(""); setPassword(""); setRole("operator")
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  return (
    <ConfirmDialog open={props.open} title={t("users.add")} confirmLabel={t("users.add")} tone="primary" busy={busy()}
      onConfirm={() => void submit()} onCancel={() => { setError(null); props.onCancel() }}>
      <div class="grid gap-3">
        <Field label={t("users.username")} required minlength={3} maxlength={40} pattern="[a-zA-Z0-9][a-zA-Z0-9._\-]{2,39}" autocomplete="off"
          hint={t("signup.usernameHint")} value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        <SelectField label={t("users.role")} value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
        </SelectField>
        <Field label={t("users.email")} type="email" maxlength={254} value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field label={t("users.initialPassword")} type="password" autocomplete="new-password" required minlength={10} maxlength={200}
          hint={t("signup.passwordHint")} value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorMessage error={error()} />
      </div>
    </ConfirmDialog>
  )
}

function ResetPasswordDialog(props: { user: User | null; onReset: (user: User, password: string) => Promise<void>; onCancel: () => void }) {
  const [password, setPassword] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const submit = async () => {
    const user = props.user
    if (!user) return
    setBusy(true)
    try { await props.onReset(user, password()); setPassword("") } finally { setBusy(false) }
  }
  return (
    <ConfirmDialog open={props.user !== null} title={t("users.resetPassword")} confirmLabel={t("users.resetPassword")} busy={busy()}
      onConfirm={() => void submit()} onCancel={() => { setPassword(""); props.onCancel() }}>
      <p>{t("users.resetConfirm", { name: props.user?.username ?? "" })}</p>
      <Field label={t("account.newPassword")} type="password" autocomplete="new-password" required minlength={10} maxlength={200}
        hint={t("signup.passwordHint")} value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
    </ConfirmDialog>
  )
}
