// Notifications (admin): the outbox of unconfigured channels, what was sent, and dead letters with a retry.
import { A, useSearchParams } from "@solidjs/router"
import { createResource, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { OUTBOX_PROVIDER, type NotificationMessage, type NotificationStatus } from "../api/types.ts"
import { ErrorMessage, Notice } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { card, heading, muted, primaryButton, secondaryButton, sectionHeading, table, td, th } from "../components/styles.ts"
import { formatDateTime, locale, t } from "../i18n/i18n.ts"
import { throttle, useTopic } from "../live/useTopic.ts"
import { settled } from "../components/resource.ts"
import { createSubmission, SubmissionOutcome } from "../components/submission.tsx"

const TABS = ["outbox", "sent", "failed"] as const
type Tab = (typeof TABS)[number]

/** The outbox is what was "sent" to the outbox provider; "sent" is what a real provider took. Filtered by the edge
 * only: a page filtered again here could come out empty while the edge still offers a next one. */
const filterOf = (tab: Tab): { status: NotificationStatus; provider?: string } =>
  tab === "outbox" ? { status: "sent", provider: OUTBOX_PROVIDER } : { status: tab }

export default function Notifications() {
  const app = useApp()
  const [params, setParams] = useSearchParams()
  const tab = (): Tab => (TABS as ReadonlyArray<string>).includes(String(params.tab)) ? params.tab as Tab : "outbox"
  const pager = createCursorPager()
  const [page, { mutate, refetch }] = createResource(
    () => ({ tab: tab(), cursor: pager.cursor() }),
    ({ tab, cursor }) => app.api.notifications.list(filterOf(tab), { limit: 50, cursor }),
  )
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal<string | null>(null)
  const reread = throttle(() => void refetch(), 1_000)
  useTopic("notifications", () => reread())

  const choose = (next: Tab) => { pager.reset(); setParams({ tab: next }) }
  const onTabKey = (event: KeyboardEvent) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0
    if (!step) return
    const next = TABS[(TABS.indexOf(tab()) + step + TABS.length) % TABS.length]!
    choose(next)
    document.getElementById(`tab-${next}`)?.focus()
  }

  const retry = async (message: NotificationMessage) => {
    setError(null)
    setNotice(null)
    try {
      await app.api.notifications.retry(message.id)
      const latest = settled(page)
      if (latest) mutate({ ...latest, items: latest.items.filter((m) => m.id !== message.id) })
      setNotice(t("notifications.retried"))
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <div class="space-y-4">
      <h1 class={heading}>{t("notifications.title")}</h1>
      <TestEmail />
      <div role="tablist" aria-label={t("notifications.title")} class="flex gap-1 border-b border-slate-200 dark:border-slate-700" onKeyDown={onTabKey}>
        <For each={TABS}>
          {(name) => (
            <button type="button" role="tab" id={`tab-${name}`} aria-selected={tab() === name} aria-controls="notifications-panel"
              tabindex={tab() === name ? 0 : -1} onClick={() => choose(name)}
              class={`-mb-px border-b-2 px-3 py-2 text-sm ${tab() === name ? "border-brand-600 font-semibold text-brand-700 dark:border-indigo-300 dark:text-indigo-300" : "border-transparent"}`}>
              {t(`notifications.${name}`)}
            </button>
          )}
        </For>
      </div>
      <div id="notifications-panel" role="tabpanel" aria-labelledby={`tab-${tab()}`} class="space-y-3">
        <Show when={tab() === "outbox"}><p class={muted}>{t("notifications.outboxHint")}</p></Show>
        <Show when={tab() === "failed"}><p class={muted}>{t("notifications.failedHint")}</p></Show>
        <ErrorMessage error={error() ?? page.error} onRetry={page.error ? () => void refetch() : undefined} />
        <Show when={notice()}><Notice tone="success">{notice()}</Notice></Show>
        <PagedList resource={page} pager={pager} empty={t("notifications.empty")}>
          {(items) => (
                <table class={table}>
                  <thead>
                    <tr>
                      <th scope="col" class={th}>{t("notifications.when")}</th>
                      <th scope="col" class={th}>{t("notifications.channel")}</th>
                      <th scope="col" class={th}>{t("notifications.address")}</th>
                      <th scope="col" class={th}>{t("notifications.subject")}</th>
                      <th scope="col" class={th}>{t("notifications.attempts")}</th>
                      <Show when={tab() === "failed"}>
                        <th scope="col" class={th}>{t("notifications.reason")}</th>
                        <th scope="col" class={th}><span class="sr-only">{t("notifications.retry")}</span></th>
                      </Show>
                    </tr>
                  </thead>
                  <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
                    <For each={items()}>
                      {(message) => (
                        <tr>
                          <td class={td}><time datetime={message.updatedAt}>{formatDateTime(message.updatedAt)}</time></td>
                          <td class={td}>{message.channel}</td>
                          <td class={`${td} break-all`}>
                            <Show when={message.recipient}><span class="block font-medium">{message.recipient}</span></Show>
                            {message.address}
                          </td>
                          <td class={td}>
                            <span class="block font-medium">{message.subject}</span>
                            <details class="mt-1">
                              <summary class="cursor-pointer text-sm">{t("notifications.showBody")}</summary>
                              <p class="mt-1 whitespace-pre-wrap text-sm">{message.body}</p>
                            </details>
                            <span class="mt-1 flex flex-wrap gap-3 text-sm">
                              <Show when={message.paymentId}>
                                {(id) => <A class="underline" href={`/payments/${encodeURIComponent(id())}`}>{t("notifications.aboutPayment")}<span class="sr-only"> {id()}</span></A>}
                              </Show>
                              <Show when={message.kioskId}>
                                {(id) => <A class="underline" href={`/kiosks/${encodeURIComponent(id())}`}>{t("notifications.aboutKiosk")}<span class="sr-only"> {id()}</span></A>}
                              </Show>
                            </span>
                          </td>
                          <td class={td}>{message.attempts}</td>
                          <Show when={tab() === "failed"}>
                            <td class={td}>{message.reason ?? t("app.none")}</td>
                            <td class={td}>
                              <button type="button" class={secondaryButton} onClick={() => void retry(message)}>
                                {t("notifications.retry")}<span class="sr-only"> {message.address}</span>
                              </button>
                            </td>
                          </Show>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
          )}
        </PagedList>
      </div>
    </div>
  )
}

function TestEmail() {
  const app = useApp()
  const [to, setTo] = createSignal("")
  // One key per email the admin means: a retried or double-sent request asks for it once.
  let requestKey = crypto.randomUUID()
  const { busy, outcome, submit } = createSubmission(async () => {
    await app.api.notifications.testEmail(to(), locale(), requestKey)
    requestKey = crypto.randomUUID()
  })
  return (
    <form class={`${card} flex flex-wrap items-end gap-3`} onSubmit={submit} aria-labelledby="test-email-heading">
      <h2 id="test-email-heading" class={`${sectionHeading} w-full`}>{t("notifications.testEmail")}</h2>
      <Field label={t("notifications.testEmailTo")} type="email" required value={to()} onInput={(e) => setTo(e.currentTarget.value)} class="min-w-64 flex-1" />
      <button type="submit" class={primaryButton} disabled={busy()}>{t("notifications.testEmail")}</button>
      <SubmissionOutcome outcome={outcome()} success={t("notifications.testEmailSent")} />
    </form>
  )
}
