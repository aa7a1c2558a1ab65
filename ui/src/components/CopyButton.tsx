import { createSignal } from "solid-js"
import { t } from "../i18n/i18n.ts"
import { secondaryButton } from "./styles.ts"

/** Copies `value` to the clipboard and says so (also to screen readers). */
export function CopyButton(props: { value: string; label?: string }) {
  const [copied, setCopied] = createSignal(false)
  const copy = async () => {
    await navigator.clipboard.writeText(props.value)
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  return (
    <button type="button" class={secondaryButton} onClick={() => void copy()} aria-live="polite">
      {copied() ? t("app.copied") : (props.label ?? t("app.copy"))}
    </button>
  )
}
