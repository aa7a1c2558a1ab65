// Cursor paging: the edge gives the next cursor; we remember the ones we came through to go back.
import { createSignal } from "solid-js"
import { t } from "../i18n/i18n.ts"
import { secondaryButton } from "./styles.ts"

export type CursorPager = ReturnType<typeof createCursorPager>

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

export function Pager(props: { pager: CursorPager; nextCursor: string | null | undefined }) {
  return (
    <nav aria-label={t("app.page", { n: props.pager.page() })} class="flex items-center gap-3">
      <button type="button" class={secondaryButton} disabled={props.pager.page() <= 1} onClick={() => props.pager.previous()}>{t("app.previous")}</button>
      <span class="text-sm">{t("app.page", { n: props.pager.page() })}</span>
      <button type="button" class={secondaryButton} disabled={!props.nextCursor}
        onClick={() => { if (props.nextCursor) props.pager.next(props.nextCursor) }}>{t("app.next")}</button>
    </nav>
  )
}
