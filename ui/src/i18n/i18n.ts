// The console's text in the UI language (see locale.ts for the language itself and formatting).
import { en, type MessageKey } from "./en.ts"
import { es } from "./es.ts"
import { type Locale, translator } from "./locale.ts"

export * from "./locale.ts"

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, es }

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export const t = translator<MessageKey>(dictionaries)
