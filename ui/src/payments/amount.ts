// What an admin types as an amount ("12.5", "12,50") → integer minor units of the currency, without floats.
import { CURRENCY_EXPONENTS, isCurrency } from "../../../src/commands/shared/currency.ts"

export function parseMinor(text: string, currency: string): number | null {
  if (!isCurrency(currency)) return null
  const exponent = CURRENCY_EXPONENTS[currency]
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim())
  if (!match) return null
  const fraction = match[2] ?? ""
  if (fraction.length > exponent) return null
  const minor = Number(match[1]! + fraction.padEnd(exponent, "0"))
  return Number.isSafeInteger(minor) ? minor : null
}
