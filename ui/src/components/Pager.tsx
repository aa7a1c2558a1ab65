// Cursor paging: the edge gives the next cursor; we remember the ones we came through to go back.
import { createSignal } from "solid-js"
import { t } from "../i18n/i18n.ts"
import { secondaryButton } from "./styles.ts"

export function createCursorPager() {
  const [stack, setStack] = createSignal<ReadonlyArray<string | undefined>>([undefined])
  const cursor = () => stack()[stack().length - 1]
  return {
    cursor,
    page: () => stack().length,
    next: (nextCursor: string) => setStack([...stack(), nextCursor]),
    previous: () => setStack(stack().length > 1 ? stack().slice(0, -1) : stack()),
    reset: () => setStack([undefined]),
  }
}

export function Pager(props: { page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  return (
    <nav aria-label={t("app.page", { n: props.page })} class="flex items-center gap-3">
      <button type="button" class={secondaryButton} disabled={props.page <= 1} onClick={() => props.onPrevious()}>{t("app.previous")}</button>
      <span class="text-sm">{t("app.page", { n: props.page })}</span>
      <button type="button" class={secondaryButton} disabled={!props.hasNext} onClick={() => props.onNext()}>{t("app.next")}</button>
    </nav>
  )
}
