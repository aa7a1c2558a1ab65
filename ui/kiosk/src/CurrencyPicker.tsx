// The currency the kiosk sells in: every ISO 4217 code, the one chosen remembered on the device.
import { For } from "solid-js"
import { CURRENCIES } from "../../../src/shared/index.ts"
import { input } from "../../src/components/styles.ts"
import { t } from "./i18n/i18n.ts"

export function CurrencyPicker(props: { value: string; onChange: (code: string) => void }) {
  return (
    <div>
      <label for="currency" class="mb-1 block text-sm font-medium">{t("setup.currency")}</label>
      <select id="currency" class={`${input} w-40`} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <For each={CURRENCIES}>{(code) => <option value={code}>{code}</option>}</For>
      </select>
    </div>
  )
}
