// The kiosk list: search, filters and sort live in the address (shareable, back button works); pages by cursor.
import { A, useSearchParams } from "@solidjs/router"
import { batch, createResource, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { KioskQuery, KioskSort, KioskStatusFilter } from "../api/types.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { Field, SelectField } from "../components/Field.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { StatusBadge } from "../components/StatusBadge.tsx"
import { card, heading, primaryButton, table, td, th } from "../components/styles.ts"
import { formatRelative, t } from "../i18n/i18n.ts"
import { throttle, useTopic } from "../live/useTopic.ts"
import { settled } from "../components/resource.ts"

const PAGE_SIZE = 25
const SORTS: ReadonlyArray<KioskSort> = ["name", "-name", "code", "-code", "-registered_at", "registered_at"]
const STATUSES: ReadonlyArray<KioskStatusFilter> = ["online", "offline", "unknown", "decommissioned"]
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined

export default function Kiosks() {
  const app = useApp()
  const [params, setParams] = useSearchParams()
  const pager = createCursorPager()
  const isAdmin = () => can(app.session.user()?.role, "manageUsers")
  const [search, setSearch] = createSignal(one(params.q) ?? "")
  // A new filter starts again from the first page.
  const filter = (patch: Record<string, string | undefined>) => batch(() => {
    pager.reset()
    setParams(patch, { replace: true })
  })

  // Typing searches after a short pause rather than on every key.
  let typing: ReturnType<typeof setTimeout> | undefined
  const onSearch = (value: string) => {
    setSearch(value)
    clearTimeout(typing)
    typing = setTimeout(() => filter({ q: value || undefined }), 300)
  }

  const query = (): KioskQuery => ({
    q: one(params.q),
    status: one(params.status) as KioskStatusFilter | undefined,
    location: one(params.location),
    operator_id: one(params.operator),
    sort: (one(params.sort) as KioskSort | undefined) ?? "name",
    limit: PAGE_SIZE,
    cursor: pager.cursor(),
  })

  const [page, { refetch }] = createResource(query, (q) => app.api.kiosks.list(q))
  const [operators] = createResource(
    () => isAdmin() || undefined,
    async () => (await app.api.auth.users({ role: "operator", limit: 200, sort: "username" })).items,
  )
  const operatorName = (id: string | null) =>
    id === null ? t("kiosks.unassigned") : (settled(operators)?.find((o) => o.id === id)?.username ?? id)

  // Status changes arrive live; the list is re-read (throttled) so filters and sort stay right.
  const reread = throttle(() => void refetch(), 1_000)
  useTopic("kiosks", () => reread())

  return (
    <div class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class={heading}>{t("kiosks.title")}</h1>
        <Show when={can(app.session.user()?.role, "registerKiosk")}>
          <A href="/kiosks/new" class={primaryButton}>{t("nav.registerKiosk")}</A>
        </Show>
      </div>
      <form role="search" class={`${card} grid gap-3 sm:grid-cols-2 lg:grid-cols-5`} onSubmit={(e) => e.preventDefault()}>
        <Field label={t("kiosks.search")} type="search" value={search()} onInput={(e) => onSearch(e.currentTarget.value)} class="lg:col-span-2" />
        <SelectField label={t("kiosks.status")} value={one(params.status) ?? ""} onChange={(e) => filter({ status: e.currentTarget.value || undefined })}>
          <option value="">{t("app.all")}</option>
          <For each={STATUSES}>{(status) => <option value={status}>{t(`kiosk.status.${status}`)}</option>}</For>
        </SelectField>
        <Field label={t("kiosks.location")} value={one(params.location) ?? ""}
          onChange={(e) => filter({ location: e.currentTarget.value || undefined })} />
        <Show when={app.session.user()?.role !== "operator"}>
          <SelectField label={t("kiosks.assignee")} value={one(params.operator) ?? ""} onChange={(e) => filter({ operator: e.currentTarget.value || undefined })}>
            <option value="">{t("kiosks.assigneeAny")}</option>
            <option value="none">{t("kiosks.unassigned")}</option>
            <For each={settled(operators) ?? []}>{(operator) => <option value={operator.id}>{operator.username}</option>}</For>
          </SelectField>
        </Show>
        <SelectField label={t("kiosks.sort")} value={one(params.sort) ?? "name"} onChange={(e) => filter({ sort: e.currentTarget.value })}>
          <For each={SORTS}>{(sort) => <option value={sort}>{t(`kiosks.sort.${sort}`)}</option>}</For>
        </SelectField>
      </form>
      <ErrorMessage error={page.error} onRetry={() => void refetch()} />
      <PagedList resource={page} pager={pager} empty={t("kiosks.empty")}>
        {(items) => (
              <table class={table}>
                <caption class="sr-only">{t("kiosks.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col" class={th}>{t("kiosks.name")}</th>
                    <th scope="col" class={th}>{t("kiosks.code")}</th>
                    <th scope="col" class={th}>{t("kiosks.status")}</th>
                    <th scope="col" class={th}>{t("kiosks.location")}</th>
                    <Show when={app.session.user()?.role !== "operator"}><th scope="col" class={th}>{t("kiosks.assignee")}</th></Show>
                    <th scope="col" class={th}>{t("kiosks.lastSeen")}</th>
                  </tr>
                </thead>
                <tbody class="divide-y divide-slate-200 dark:divide-slate-700">
                  <For each={items()}>
                    {(kiosk) => (
                      <tr>
                        <td class={td}><A href={`/kiosks/${encodeURIComponent(kiosk.id)}`} class="font-medium underline">{kiosk.name}</A></td>
                        <td class={`${td} font-mono`}>{kiosk.code}</td>
                        <td class={td}><StatusBadge kiosk={kiosk} /></td>
                        <td class={td} data-label={t("kiosks.location")}>{kiosk.location || t("app.none")}</td>
                        <Show when={app.session.user()?.role !== "operator"}>
                          <td class={td} data-label={t("kiosks.assignee")}>{kiosk.operatorName ?? operatorName(kiosk.operatorId)}</td>
                        </Show>
                        <td class={td} data-label={t("kiosks.lastSeen")}>
                          <Show when={kiosk.lastSeenAt} fallback={t("kiosks.never")}>
                            {(seen) => <time datetime={seen()}>{formatRelative(seen())}</time>}
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
        )}
      </PagedList>
    </div>
  )
}
