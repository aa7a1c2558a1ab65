// The few numerical tools the methods share: normal quantiles for the two interval levels, empirical quantiles,
// and the rounding that turns a forecast into minor units.

/** Two-sided normal quantiles: 80% → z(0.90), 95% → z(0.975). */
export const Z80 = 1.2815515655446004
export const Z95 = 1.959963984540054

/** Empirical quantile of ascending `sorted` values (linear between order statistics, Hyndman–Fan type 7). */
export function quantile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * p
  const below = Math.floor(position)
  const above = Math.min(sorted.length - 1, below + 1)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

export const mean = (values: ReadonlyArray<number>): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length

/** A forecast in minor units: nearest integer, halves away from zero (so −2.5 → −3 as 2.5 → 3). */
export const toMinorUnits = (value: number): number => Math.sign(value) * Math.round(Math.abs(value))

/** Maps the real line onto (0, 1): how the optimiser keeps bounded parameters inside their bounds. */
export const logistic = (x: number): number => 1 / (1 + Math.exp(-x))

/** The inverse of `logistic`, for starting points. */
export const logit = (p: number): number => Math.log(p / (1 - p))
