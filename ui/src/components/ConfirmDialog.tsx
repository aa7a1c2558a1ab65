// A modal confirm step on the native <dialog>: it traps focus, closes on Escape and returns focus when done.
// Centred with m-auto: Tailwind's preflight zeroes every margin, the dialog's UA `margin: auto` included.
import { createEffect, createUniqueId, type JSX } from "solid-js"
import { t } from "../i18n/i18n.ts"
import { dangerButton, primaryButton, secondaryButton } from "./styles.ts"

export function ConfirmDialog(props: {
  open: boolean
  title: string
  confirmLabel: string
  busy?: boolean
  /** "primary" for a dialog that makes something (add a user) rather than destroys it. */
  tone?: "danger" | "primary"
  onConfirm: () => void
  onCancel: () => void
  children?: JSX.Element
}) {
  let dialog!: HTMLDialogElement
  const titleId = createUniqueId()
  createEffect(() => {
    if (props.open && !dialog.open) dialog.showModal()
    else if (!props.open && dialog.open) dialog.close()
  })
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onCancel={(event) => { event.preventDefault(); props.onCancel() }}
      class="m-auto max-h-[calc(100dvh-2rem)] w-[min(32rem,calc(100vw-2rem))] overflow-y-auto rounded-lg border border-slate-300 bg-white p-5 text-slate-900 backdrop:bg-black/50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      <form method="dialog" onSubmit={(event) => { event.preventDefault(); props.onConfirm() }} class="space-y-4">
        <h2 id={titleId} class="text-lg font-semibold">{props.title}</h2>
        {props.children}
        <div class="flex justify-end gap-2">
          <button type="button" class={secondaryButton} onClick={() => props.onCancel()}>{t("app.cancel")}</button>
          <button type="submit" class={props.tone === "primary" ? primaryButton : dangerButton} disabled={props.busy}>{props.confirmLabel}</button>
        </div>
      </form>
    </dialog>
  )
}
