// The body of a cursor-paged list: loading, "nothing here", or the items in a scrolling card; then the pager.
import { Show, type Accessor, type JSX, type Resource } from "solid-js"
import type { Page } from "../api/types.ts"
import { Loading } from "./Feedback.tsx"
import { Pager, type CursorPager } from "./Pager.tsx"
import { settled } from "./resource.ts"
import { card, muted } from "./styles.ts"

export function PagedList<T>(props: { resource: Resource<Page<T>>; pager: CursorPager; empty: string; children: (items: Accessor<T[]>) => JSX.Element }) {
  return (
    <>
      <Show when={settled(props.resource)} fallback={<Show when={!props.resource.error}><Loading /></Show>}>
        {(current) => (
          <Show when={current().items.length > 0} fallback={<p class={muted}>{props.empty}</p>}>
            {/* The rows are given as an accessor: a re-read or a live change updates them without rebuilding the
                table, so its state (an open dialog, focus) survives. */}
            <div class={`${card} overflow-x-auto p-0`}>{props.children(() => current().items)}</div>
          </Show>
        )}
      </Show>
      {/* "Nothing here" never sits beside an enabled Next: an empty page offers only the way back, if any. */}
      <Show when={(settled(props.resource)?.items.length ?? 0) > 0 || props.pager.page() > 1}>
        <Pager pager={props.pager} nextCursor={(settled(props.resource)?.items.length ?? 0) > 0 ? settled(props.resource)?.next_cursor : null} />
      </Show>
    </>
  )
}
