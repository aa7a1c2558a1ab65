import { describe, expect, it } from "vitest"
import { concurrencyLimit } from "./concurrency.ts"

/** Work that ends when the test says so, recording when it started. */
function gate() {
  const started: Array<number> = []
  const finish = new Map<number, () => void>()
  let active = 0
  let most = 0
  const job = (id: number, fail = false) => () => {
    started.push(id)
    most = Math.max(most, ++active)
    return new Promise<number>((resolve, reject) => finish.set(id, () => {
      active--
      if (fail) reject(new Error(`job ${id} failed`))
      else resolve(id)
    }))
  }
  return { started, finish: (id: number) => finish.get(id)!(), most: () => most, job }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe("a concurrency limit", () => {
  it("runs at most its limit at once and starts the rest in arrival order, a failure freeing its slot too", async () => {
    const limited = concurrencyLimit(2)
    const g = gate()
    const results = [1, 2, 3, 4, 5].map((id) => limited(g.job(id, id === 2)).catch((e: Error) => e.message))
    await settle()
    expect(g.started).toEqual([1, 2])
    g.finish(2)
    await settle()
    expect(g.started).toEqual([1, 2, 3])
    g.finish(1)
    await settle()
    g.finish(3)
    await settle()
    expect(g.started).toEqual([1, 2, 3, 4, 5])
    g.finish(4)
    g.finish(5)
    expect(await Promise.all(results)).toEqual([1, "job 2 failed", 3, 4, 5])
    expect(g.most()).toBe(2)
    // Every slot came back: two more start at once.
    const again = gate()
    const both = [6, 7].map((id) => limited(again.job(id)))
    await settle()
    expect(again.started).toEqual([6, 7])
    again.finish(6)
    again.finish(7)
    await Promise.all(both)
  })

  it("refuses a limit that is not a positive integer", () => {
    expect(() => concurrencyLimit(0)).toThrow(RangeError)
    expect(() => concurrencyLimit(1.5)).toThrow(RangeError)
  })
})
