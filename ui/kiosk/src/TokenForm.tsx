// A device token, pasted or scanned: the first-run setup and "new device token" in the settings both take one.
import { createSignal, Show } from "solid-js"
import { input, primaryButton } from "../../src/components/styles.ts"
import { t } from "./i18n/i18n.ts"
import { TokenScanner } from "./TokenScanner.tsx"

export function TokenForm(props: { submitLabel: string; busy: boolean; error: string | null; onToken: (token: string) => void }) {
  const [token, setToken] = createSignal("")
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    props.onToken(token().trim())
  }
  return (
    <div class="space-y-4">
      <form class="space-y-2" onSubmit={submit}>
        <label for="device-token" class="block text-sm font-medium">{t("setup.token")}</label>
        <input id="device-token" name="device-token" class={`${input} font-mono`} autocomplete="off" autocapitalize="off"
          spellcheck={false} aria-describedby="device-token-hint" value={token()} onInput={(e) => setToken(e.currentTarget.value)} />
        <p id="device-token-hint" class="text-xs text-slate-600 dark:text-slate-400">{t("setup.tokenHint")}</p>
        <Show when={props.error}><p role="alert" class="text-sm text-red-700 dark:text-red-400">{props.error}</p></Show>
        <button type="submit" class={primaryButton} disabled={props.busy || token().trim() === ""}>
          {props.busy ? t("setup.checking") : props.submitLabel}
        </button>
      </form>
      <TokenScanner onToken={(scanned) => { setToken(scanned); props.onToken(scanned) }} />
    </div>
  )
}
