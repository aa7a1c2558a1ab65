// Money in the console: integer minor units of an ISO 4217 currency, with each currency's digits from the API's
// own table (generated from its OpenAPI document), never through a float.
import { CURRENCY_DIGITS } from "../api/generated/currencies.gen.ts"

export const currencyDigits = (currency: string): number | undefined => CURRENCY_DIGITS[currency]

/** 1250 EUR → "12.50"; a currency we do not know keeps its minor units as they are. */
export function minorToDecimal(amount: number, currency: string): string {
  const digits = currencyDigits(currency)
  if (digits === undefined) return String(amount)
  const sign = amount < 0 ? "-" : ""
  const text = Math.abs(amount).toString().padStart(digits + 1, "0")
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`
}

/** What an admin types as an amount ("12.5", "12,50") → integer minor units of the currency, or null. */
export function parseMinor(text: string, currency: string): number | null {
  const digits = currencyDigits(currency)
  if (digits === undefined) return null
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim())
  if (!match) return null
  const fraction = match[2] ?? ""
  if (fraction.length > digits) return null
  const minor = Number(match[1]! + fraction.padEnd(digits, "0"))
  return Number.isSafeInteger(minor) ? minor : null
}
