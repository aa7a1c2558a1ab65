// What the console makes of GET /ai/predict: the honest "not enough history" refusal as numbers, the rest of this
// month as a horizon, and the month's expected total (the days already taken plus the forecast of the rest).
import { ApiError } from "../api/problem.ts"
import type { CurrencyForecast } from "../api/types.ts"
import { utcDay as day } from "../sales/series.ts"

export interface NotEnoughHistory {
  readonly days: number
  readonly need: number
}

/** The 422 not-enough-history problem's numbers ("not enough history (N days, need M)"), or undefined for any other error. */
export function notEnoughHistoryOf(error: unknown): NotEnoughHistory | undefined {
  if (!(error instanceof ApiError) || error.status !== 422 || !error.problem.type.endsWith("/not-enough-history")) return undefined
  const match = /\((\d+) days?, need (\d+)\)/u.exec(error.problem.detail ?? "")
  return match ? { days: Number(match[1]), need: Number(match[2]) } : undefined
}

/** A backtest figure the edge may send as "Infinity"/"NaN": a number only when it is one. */
export const finite = (value: number | string): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined)

export interface MonthSpan {
  /** The month's first day and its last, YYYY-MM-DD (UTC). */
  readonly from: string
  readonly to: string
  /** The last complete day of the month so far (the forecast's history ends there); before `from` on the 1st. */
  readonly yesterday: string
  /** Days from today to the month's end, today included: the forecast's horizon. */
  readonly daysLeft: number
}

/** The UTC month of `now`, split at today: what has been taken, and what the forecast covers. */
export function monthSpan(now: Date): MonthSpan {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  const last = new Date(Date.UTC(year, month + 1, 0))
  return {
    from: day(new Date(Date.UTC(year, month, 1))),
    to: day(last),
    yesterday: day(new Date(Date.UTC(year, month, now.getUTCDate() - 1))),
    daysLeft: last.getUTCDate() - now.getUTCDate() + 1,
  }
}

export interface MonthEstimate {
  readonly taken: number
  readonly point: number
  readonly lo80: number
  readonly hi80: number
  readonly lo95: number
  readonly hi95: number
}

/** The month's total: what was taken up to yesterday (known) plus the forecast's total of the days left, with its intervals. */
export function monthEstimate(forecast: Pick<CurrencyForecast, "total">, taken: number): MonthEstimate {
  const { total } = forecast
  return {
    taken, point: taken + total.point, lo80: taken + total.lo80, hi80: taken + total.hi80, lo95: taken + total.lo95, hi95: taken + total.hi95,
  }
}
