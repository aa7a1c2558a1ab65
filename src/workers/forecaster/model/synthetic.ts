// Seeded synthetic daily sales with a known structure, for the model's tests: the same seed, the same series.
import type { DailySeries, Observation } from "./index.ts"

/** splitmix32: a tiny seeded generator, identical on every machine. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return ((z ^ (z >>> 16)) >>> 0) / 4_294_967_296
  }
}

/** Standard normal by Box–Muller. */
export const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())

/** Monday-first multipliers: a quiet start of the week, a busy weekend. */
export const WEEKLY = [0.8, 0.85, 0.9, 1.0, 1.2, 1.45, 1.1] as const

export interface SeasonalOptions {
  readonly days: number
  readonly seed: number
  /** Takings of an average day at the start, in minor units. */
  readonly level?: number
  /** Growth of the average day, in minor units per day. */
  readonly slope?: number
  /** Noise as a share of the day's expected takings. */
  readonly noise?: number
  /** The first day; a Monday by default, so WEEKLY lines up. */
  readonly from?: string
}

/** Weekly seasonality (multiplicative), a linear trend and noise proportional to the day's size, as sales have. */
export function seasonalSeries(options: SeasonalOptions): DailySeries {
  const random = seeded(options.seed)
  const level = options.level ?? 60_000
  const slope = options.slope ?? 0
  const noise = options.noise ?? 0.08
  const from = options.from ?? "2025-01-06"
  const values = Array.from({ length: options.days }, (_, t) => {
    const expected = (level + slope * t) * WEEKLY[t % 7]!
    return Math.max(0, Math.round(expected * (1 + noise * gaussian(random))))
  })
  return { from, values }
}

/** Days with sales now and then (probability `p`), each of a random size around `size`. */
export function sparseSeries(options: { readonly days: number; readonly seed: number; readonly p: number; readonly size: number }): DailySeries {
  const random = seeded(options.seed)
  const values = Array.from({ length: options.days }, () =>
    random() < options.p ? Math.max(100, Math.round(options.size * Math.exp(0.5 * gaussian(random)))) : 0)
  return { from: "2025-01-06", values }
}

/** The same series with days [from, from + length) replaced (null: the kiosk was offline; 0: counted as no sales). */
export function withOutage(series: DailySeries, from: number, length: number, as: Observation): DailySeries {
  return { ...series, values: series.values.map((y, t) => (t >= from && t < from + length ? as : y)) }
}
