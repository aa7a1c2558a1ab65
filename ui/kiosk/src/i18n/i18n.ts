// The kiosk app's text in the UI language (the language itself and the formatting are the console's, locale.ts).
import { type Locale, translator } from "../../../src/i18n/locale.ts"
import { en, type KioskMessageKey } from "./en.ts"
import { es } from "./es.ts"

export { formatMoney, formatRelative, formatTime, locale, LOCALES, setLocale } from "../../../src/i18n/locale.ts"

const dictionaries: Record<Locale, Record<KioskMessageKey, string>> = { en, es }
export const t = translator<KioskMessageKey>(dictionaries)
