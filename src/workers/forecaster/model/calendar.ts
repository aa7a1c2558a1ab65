// UTC calendar days as `YYYY-MM-DD` strings: what the daily-sales read model stores and what a forecast answers.
const DAY_MS = 86_400_000

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`)

/** The day `n` days after `day` (before, for negative `n`). */
export const addDays = (day: string, n: number): string => new Date(toMs(day) + n * DAY_MS).toISOString().slice(0, 10)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((toMs(to) - toMs(from)) / DAY_MS)

/** The UTC day an instant falls on. */
export const dayOf = (instant: string | Date): string => (typeof instant === "string" ? new Date(instant) : instant).toISOString().slice(0, 10)

/** 0 = Monday … 6 = Sunday (ISO order, as people read a week). */
export const isoWeekday = (day: string): number => (new Date(toMs(day)).getUTCDay() + 6) % 7
