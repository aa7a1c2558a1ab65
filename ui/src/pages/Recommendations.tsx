// Recommendations: what the forecaster found worth saying about the caller's kiosks, grouped by kiosk (each a link
// to its page), each with its kind, its reason in the console's language and the days it looked at.
import { A } from "@solidjs/router"
import { createResource, For } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { Recommendation } from "../api/types.ts"
import { ErrorMessage } from "../components/Feedback.tsx"
import { createCursorPager } from "../components/Pager.tsx"
import { PagedList } from "../components/PagedList.tsx"
import { heading, muted, sectionHeading } from "../components/styles.ts"
import { formatDay, locale, t } from "../i18n/i18n.ts"
import { byKiosk } from "../forecast/recommendations.ts"

export default function Recommendations() {
  const app = useApp()
  const pager = createCursorPager()
  const [page, { refetch }] = createResource(() => ({ cursor: pager.cursor() }), ({ cursor }) => app.api.ai.recommendations({ limit: 50, cursor }))

  return (
    <div class="space-y-4">
      <h1 class={heading}>{t("recommendations.title")}</h1>
      <p class={muted}>{t("recommendations.intro")}</p>
      <ErrorMessage error={page.error} onRetry={() => void refetch()} />
      <PagedList resource={page} pager={pager} empty={t("recommendations.empty")}>
        {(items) => (
          <div class="divide-y divide-slate-200 dark:divide-slate-700">
            <For each={byKiosk(items())}>
              {(group) => (
                <section class="space-y-2 p-4" aria-labelledby={`rec-${group.kioskId}`}>
                  <h2 id={`rec-${group.kioskId}`} class={sectionHeading}>
                    <A href={`/kiosks/${encodeURIComponent(group.kioskId)}`} class="text-brand-700 underline dark:text-indigo-300">{group.kioskName}</A>
                  </h2>
                  <ul class="space-y-3">
                    <For each={group.items}>{(item) => <RecommendationItem item={item} />}</For>
                  </ul>
                </section>
              )}
            </For>
          </div>
        )}
      </PagedList>
    </div>
  )
}

function RecommendationItem(props: { item: Recommendation }) {
  return (
    <li class="space-y-1">
      <p class="text-sm font-semibold">
        {t(`recommendations.kind.${props.item.kind}`)} <span class={muted}>· {props.item.currency}</span>
      </p>
      <p>{props.item.reason[locale()]}</p>
      <p class={muted}>{t("recommendations.window", { from: formatDay(props.item.window.from), to: formatDay(props.item.window.to) })}</p>
    </li>
  )
}
