// A limit on how many of one kind of work run at once, the rest waiting in arrival order.

/** Wraps work so that at most `max` run at once; the others start, in the order they came, as slots free up. */
export function concurrencyLimit(max: number): <A>(work: () => Promise<A>) => Promise<A> {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`a concurrency limit must be a positive integer, not ${max}`)
  let running = 0
  const waiting: Array<() => void> = []
  return async (work) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await work()
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      const next = waiting.shift()
      if (next !== undefined) next()
      else running--
    }
  }
}
