// Nelder–Mead downhill simplex: derivative-free, deterministic (no random restarts), enough for the two to four
// smoothing parameters of a method. Parameters are optimised on the real line; each method maps them into its
// bounds (logistic), so the search itself is unconstrained.

export interface Minimum {
  readonly x: ReadonlyArray<number>
  readonly value: number
  readonly iterations: number
}

export interface SimplexOptions {
  /** Edge length of the starting simplex around the start point. Default 1. */
  readonly step?: number
  readonly maxIterations?: number
  /** Stop once the simplex's values differ by less than this (relative to their size). Default 1e-9. */
  readonly tolerance?: number
}

export function nelderMead(f: (x: ReadonlyArray<number>) => number, start: ReadonlyArray<number>, options: SimplexOptions = {}): Minimum {
  const step = options.step ?? 1
  const maxIterations = options.maxIterations ?? 200 * start.length
  const tolerance = options.tolerance ?? 1e-9
  const n = start.length
  // A non-finite value (a parameter set the method cannot run) is simply the worst possible.
  const value = (x: ReadonlyArray<number>) => {
    const v = f(x)
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY
  }
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, v: value(x) }))

  let iterations = 0
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.v - b.v)
    const best = simplex[0]!
    const worst = simplex[n]!
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break

    const centroid = Array.from({ length: n }, (_, j) => simplex.slice(0, n).reduce((sum, p) => sum + p.x[j]!, 0) / n)
    const toward = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c))
    const reflected = toward(-1)
    const vr = value(reflected)
    if (vr < best.v) {
      const expanded = toward(-2)
      const ve = value(expanded)
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr }
    } else if (vr < simplex[n - 1]!.v) {
      simplex[n] = { x: reflected, v: vr }
    } else {
      // Contract toward the better of the worst point and its reflection.
      const contracted = vr < worst.v ? toward(-0.5) : toward(0.5)
      const vc = value(contracted)
      if (vc < Math.min(vr, worst.v)) {
        simplex[n] = { x: contracted, v: vc }
      } else {
        // Nothing better along that line: shrink every point halfway toward the best.
        const shrunk = (x: ReadonlyArray<number>) => x.map((v, j) => best.x[j]! + 0.5 * (v - best.x[j]!))
        simplex = [best, ...simplex.slice(1).map((p) => {
          const x = shrunk(p.x)
          return { x, v: value(x) }
        })]
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v)
  return { x: simplex[0]!.x, value: simplex[0]!.v, iterations }
}

/** The best of several fixed starting points: a cheap guard against a local minimum, still deterministic. */
export function minimiseFrom(f: (x: ReadonlyArray<number>) => number, starts: ReadonlyArray<ReadonlyArray<number>>, options?: SimplexOptions): Minimum {
  let best: Minimum | undefined
  for (const start of starts) {
    const found = nelderMead(f, start, options)
    if (best === undefined || found.value < best.value) best = found
  }
  if (best === undefined) throw new Error("minimiseFrom needs at least one starting point")
  return best
}
