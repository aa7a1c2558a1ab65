// How the recommendations say numbers, in English and Spanish: money in minor units, shares, durations, UTC hours,
// weekdays and "how likely by chance".
import { type Currency, formatMinor, isCurrency, localise } from "../../../commands/index.ts"

export type Language = "en" | "es"

export const money = (amount: number, currency: string, language: Language) =>
  isCurrency(currency) ? `${localise(formatMinor(Math.round(amount), currency as Currency), language)} ${currency}` : `${Math.round(amount)} ${currency}`

export const percent = (share: number, language: Language) => {
  const value = share * 100
  const text = value < 10 ? value.toFixed(1) : value.toFixed(0)
  return language === "es" ? `${text.replace(".", ",")} %` : `${text}%`
}

export const duration = (minutes: number) => {
  const whole = Math.round(minutes)
  const hours = Math.floor(whole / 60)
  return hours === 0 ? `${whole} min` : whole % 60 === 0 ? `${hours} h` : `${hours} h ${whole % 60} min`
}

/** [12, 13, 14, 18, 19] → "12:00–15:00, 18:00–20:00" */
export function hourRanges(hours: ReadonlyArray<number>): string {
  const sorted = [...hours].sort((a, b) => a - b)
  const ranges: Array<[number, number]> = []
  for (const h of sorted) {
    const last = ranges.at(-1)
    if (last !== undefined && last[1] === h) last[1] = h + 1
    else ranges.push([h, h + 1])
  }
  const clock = (h: number) => `${String(h % 24).padStart(2, "0")}:00`
  return ranges.map(([from, to]) => `${clock(from)}–${clock(to)}`).join(", ")
}

const WEEKDAYS: Record<Language, ReadonlyArray<string>> = {
  en: ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"],
  es: ["los lunes", "los martes", "los miércoles", "los jueves", "los viernes", "los sábados", "los domingos"],
}
export const weekdays = (index: number, language: Language) => WEEKDAYS[language][index]!

const ODDS = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000, 1_000_000]

/** A small probability as odds a person reads: 0.0026 → "less than 1 in 200". */
export function chance(p: number, language: Language): string {
  const odds = ODDS.filter((n) => p < 1 / n).at(-1)
  const number = (n: number) => localise(String(n), language)
  if (odds === undefined) return language === "es" ? `${percent(p, "es")}` : percent(p, "en")
  return language === "es" ? `menos de 1 entre ${number(odds)}` : `less than 1 in ${number(odds)}`
}
