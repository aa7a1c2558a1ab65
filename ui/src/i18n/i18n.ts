// The console's text in the UI language (see locale.ts for the language itself and formatting).
import { en, type MessageKey } from "./en.ts"
import { es } from "./es.ts"
import { formatNumber, type Locale, locale, translator } from "./locale.ts"

export * from "./locale.ts"

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, es }

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export const t = translator<MessageKey>(dictionaries)

/** The keys that come in plural forms: `<base>.one`, `<base>.other` (and `.many` where a language needs it). */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never

/** `{count}` (formatted for the language) in the plural form Intl.PluralRules picks for `count`. */
export function tn(base: PluralKey, count: number, params: Record<string, string | number> = {}): string {
  const category = new Intl.PluralRules(locale()).select(count)
  const key = `${base}.${category}` as MessageKey
  const chosen: MessageKey = key in dictionaries[locale()] ? key : (`${base}.other` as MessageKey)
  return t(chosen, { ...params, count: formatNumber(count) })
}
