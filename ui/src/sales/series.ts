// Turns the edge's daily sales rows into what the dashboard and charts show: per-currency totals and day series.
import type { DailySales } from "../api/types.ts"

/** "YYYY-MM-DD" of a UTC day. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10)

/** The `count` UTC days ending with `today`, oldest first. */
export function lastDays(count: number, today: Date): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  return Array.from({ length: count }, (_, i) => utcDay(new Date(end - (count - 1 - i) * 86_400_000)))
}

export interface CurrencyTotal { currency: string; net: number; gross: number; refunds: number; count: number }

/** Sums rows per currency, largest net first. */
export function totalsByCurrency(rows: ReadonlyArray<DailySales>): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>()
  for (const row of rows) {
    const total = totals.get(row.currency) ?? { currency: row.currency, net: 0, gross: 0, refunds: 0, count: 0 }
    total.net += row.net
    total.gross += row.gross
    total.refunds += row.refunds
    total.count += row.count
    totals.set(row.currency, total)
  }
  return [...totals.values()].sort((a, b) => b.net - a.net || a.currency.localeCompare(b.currency))
}

/** One currency's net per day over `days`, zero where the edge sent no row. */
export function dailySeries(rows: ReadonlyArray<DailySales>, currency: string, days: ReadonlyArray<string>): number[] {
  const net = new Map<string, number>()
  for (const row of rows) if (row.currency === currency) net.set(row.date, (net.get(row.date) ?? 0) + row.net)
  return days.map((day) => net.get(day) ?? 0)
}
