// Amount entry as a till does it: digits shift in from the right in minor units (1, 2, 5, 0 → 12.50 EUR;
// 1, 2, 5 → 125 JPY), "00" adds two zeros, back removes the last digit. Integers throughout: never a float.
import { MAX_AMOUNT_MINOR } from "../../../src/shared/index.ts"

export const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0", "back"] as const
export type Key = (typeof KEYS)[number] | "clear"

/** The amount after pressing `key`; a press that would pass the largest payment allowed changes nothing. */
export function press(amount: number, key: Key, max = MAX_AMOUNT_MINOR): number {
  switch (key) {
    case "clear": return 0
    case "back": return Math.floor(amount / 10)
    case "00": return amount * 100 <= max ? amount * 100 : amount
    default: {
      const next = amount * 10 + Number(key)
      return next <= max ? next : amount
    }
  }
}

/** The key a physical keyboard press means, if any (a kiosk may have a keypad attached). */
export function keyOf(event: { readonly key: string }): Key | undefined {
  if (/^[0-9]$/.test(event.key)) return event.key as Key
  if (event.key === "Backspace") return "back"
  if (event.key === "Escape" || event.key === "Delete") return "clear"
  return undefined
}
