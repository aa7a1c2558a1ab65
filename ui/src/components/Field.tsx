// A labelled form control with an optional hint and error, wired with ids so screen readers announce them.
import { createUniqueId, Show, splitProps, type JSX } from "solid-js"
import { input } from "./styles.ts"

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string | null }

export function Field(props: FieldProps) {
  const [own, rest] = splitProps(props, ["label", "hint", "error", "class"])
  const id = createUniqueId()
  const describedBy = () => [own.hint ? `${id}-hint` : "", own.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
  return (
    <div class={own.class}>
      <label for={id} class="mb-1 block text-sm font-medium">{own.label}</label>
      <input id={id} class={input} aria-invalid={own.error ? true : undefined} aria-describedby={describedBy()} {...rest} />
      <Show when={own.hint}><p id={`${id}-hint`} class="mt-1 text-xs text-slate-600 dark:text-slate-400">{own.hint}</p></Show>
      <Show when={own.error}><p id={`${id}-error`} class="mt-1 text-sm text-red-700 dark:text-red-400">{own.error}</p></Show>
    </div>
  )
}

type SelectProps = JSX.SelectHTMLAttributes<HTMLSelectElement> & { label: string }

export function SelectField(props: SelectProps) {
  const [own, rest] = splitProps(props, ["label", "class", "children"])
  const id = createUniqueId()
  return (
    <div class={own.class}>
      <label for={id} class="mb-1 block text-sm font-medium">{own.label}</label>
      <select id={id} class={input} {...rest}>{own.children}</select>
    </div>
  )
}
