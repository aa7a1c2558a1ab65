// The UI language (English or Spanish): from the user's choice, else the browser's; translators over a set of
// dictionaries; locale-aware formatting. Shared by the console (i18n.ts) and the kiosk app, each with its own text.
import { createSignal } from "solid-js"
import { currencyDigits, minorToDecimal } from "../payments/money.ts"

export type Locale = "en" | "es"
export const LOCALES: ReadonlyArray<Locale> = ["en", "es"]
const KEY = "admin-kiosk.locale"

export function preferredLocale(stored: string | null, languages: ReadonlyArray<string>): Locale {
  if (stored === "en" || stored === "es") return stored
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0]
    if (base === "en" || base === "es") return base
  }
  return "en"
}

const [locale, setLocaleSignal] = createSignal<Locale>(
  preferredLocale(globalThis.localStorage?.getItem(KEY) ?? null, globalThis.navigator?.languages ?? []),
)
export { locale }

export function setLocale(next: Locale) {
  setLocaleSignal(next)
  localStorage.setItem(KEY, next)
  document.documentElement.lang = next
}

/** A `t` over `dictionaries`, one per language: the console's below, the kiosk app has its own. */
export function translator<Key extends string>(dictionaries: Record<Locale, Record<Key, string>>) {
  return (key: Key, params?: Record<string, string | number>): string => {
    const template = dictionaries[locale()][key]
    return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : template
  }
}

/** Integer minor units → "12,50 €" / "€12.50", with the ISO 4217 exponent (not CLDR's) and no float arithmetic. */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  if (digits === undefined) return `${minor} ${currency}`
  const decimal = minorToDecimal(minor, currency) as Intl.StringNumericLiteral
  return new Intl.NumberFormat(locale(), {
    style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(decimal)
}

/** Minor units on a chart's axis, short: "€1.2K" / "1,2 mil €" (whole units below a thousand). */
export function formatMoneyCompact(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  if (digits === undefined) return `${minor} ${currency}`
  const decimal = minorToDecimal(minor, currency) as Intl.StringNumericLiteral
  return new Intl.NumberFormat(locale(), { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(decimal)
}

export const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso))

export const formatTime = (iso: string) =>
  new Intl.DateTimeFormat(locale(), { timeStyle: "medium" }).format(new Date(iso))

/** A calendar day "2026-11-28" (UTC), shown short: "28 nov". */
export const formatDay = (day: string) =>
  new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`))

/** A share 0…1 as "99.5%" / "99,5 %". */
export const formatPercent = (share: number) =>
  new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: share > 0.99 && share < 1 ? 2 : 1 }).format(share)

/** A length of time in its two largest units: "2 days, 3 hr" / "2 días y 3 h"; seconds under a minute. */
export function formatDuration(seconds: number): string {
  const units = [["day", 86_400], ["hour", 3_600], ["minute", 60]] as const
  let rest = Math.max(0, Math.round(seconds))
  const parts: string[] = []
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0) parts.push(new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "short" }).format(n))
    else if (parts.length > 0) break
    if (parts.length === 2) break
  }
  if (parts.length === 0) return new Intl.NumberFormat(locale(), { style: "unit", unit: "second", unitDisplay: "short" }).format(rest)
  return new Intl.ListFormat(locale(), { style: "short", type: "unit" }).format(parts)
}

export const formatNumber = (n: number) => new Intl.NumberFormat(locale()).format(n)

/** A share between 0 and 1 as a percentage ("94.2%", "94,2 %"). */
export const formatShare = (share: number) =>
  new Intl.NumberFormat(locale(), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share)

/** A ratio such as a MASE, with two decimals. */
export const formatRatio = (n: number) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)

/** "December 2026" of a YYYY-MM-DD day (UTC). */
export const formatMonth = (day: string) =>
  new Intl.DateTimeFormat(locale(), { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`))

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: "auto" })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, "second")
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute")
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), "hour")
  return rtf.format(Math.round(seconds / 86_400), "day")
}
