import { describe, expect, it } from "vitest"
import { minimiseFrom, nelderMead } from "./optimise.ts"

describe("Nelder–Mead", () => {
  it("finds the bottom of a tilted bowl", () => {
    const found = nelderMead(([x = 0, y = 0]) => (x - 3) ** 2 + 10 * (y + 1) ** 2 + 2, [0, 0])
    expect(found.x[0]).toBeCloseTo(3, 4)
    expect(found.x[1]).toBeCloseTo(-1, 4)
    expect(found.value).toBeCloseTo(2, 8)
  })

  it("follows Rosenbrock's curved valley to (1, 1)", () => {
    const found = nelderMead(([x = 0, y = 0]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], { maxIterations: 2_000, tolerance: 1e-14 })
    expect(found.x[0]).toBeCloseTo(1, 3)
    expect(found.x[1]).toBeCloseTo(1, 3)
  })

  it("treats a value the function cannot give (NaN, ∞) as the worst, and stays away from it", () => {
    const found = nelderMead(([x = 0]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [1])
    expect(found.x[0]).toBeCloseTo(2, 4)
  })

  it("is deterministic, and keeps the best of several starts", () => {
    const twoValleys = ([x = 0]: ReadonlyArray<number>) => Math.min((x + 2) ** 2 + 1, (x - 3) ** 2)
    expect(nelderMead(twoValleys, [-1], { step: 0.5 }).x[0]).toBeCloseTo(-2, 3)
    const best = minimiseFrom(twoValleys, [[-1], [4]], { step: 0.5 })
    expect(best.x[0]).toBeCloseTo(3, 3)
    expect(minimiseFrom(twoValleys, [[-1], [4]], { step: 0.5 })).toEqual(best)
  })
})
