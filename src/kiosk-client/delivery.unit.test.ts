import { describe, expect, it } from "vitest"
import { backoffMs, DEFAULT_RETRY, retryAfterMs, verdictOf } from "./delivery.ts"

describe("what the sender does with an answer", () => {
  it("delivered on 200 (a replay) and 201", () => {
    expect(verdictOf(200)).toBe("delivered")
    expect(verdictOf(201)).toBe("delivered")
  })
  it("retries 408, 429 and every 5xx", () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(verdictOf(status)).toBe("retry")
  })
  it("holds the queue on 401: the credential is refused, not the payment", () => expect(verdictOf(401)).toBe("hold"))
  it("rejects every other 4xx for good", () => {
    for (const status of [400, 403, 404, 409, 413, 415, 422]) expect(verdictOf(status)).toBe("reject")
  })
})

describe("Retry-After", () => {
  const now = Date.parse("2026-11-28T10:00:00Z")
  it("reads delay-seconds", () => expect(retryAfterMs("7", now)).toBe(7_000))
  it("reads an HTTP date", () => expect(retryAfterMs("Sat, 28 Nov 2026 10:00:30 GMT", now)).toBe(30_000))
  it("a date in the past means now", () => expect(retryAfterMs("Sat, 28 Nov 2026 09:00:00 GMT", now)).toBe(0))
  it("ignores a missing or unreadable header", () => {
    expect(retryAfterMs(null, now)).toBeUndefined()
    expect(retryAfterMs("soon", now)).toBeUndefined()
    expect(retryAfterMs("-3", now)).toBeUndefined()
  })
})

describe("back-off", () => {
  const policy = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 }
  it("draws below a ceiling that doubles with each failure, up to the maximum", () => {
    expect(backoffMs(0, () => 0.999, policy)).toBe(499)
    expect(backoffMs(3, () => 0.999, policy)).toBe(3_996)
    expect(backoffMs(20, () => 0.999, policy)).toBe(29_970)
    expect(backoffMs(5, () => 0, policy)).toBe(0)
  })
  it("is jittered: a fleet failing together does not retry together", () => {
    let seed = 1
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
    const waits = new Set(Array.from({ length: 200 }, () => backoffMs(4, random, policy)))
    expect(waits.size).toBeGreaterThan(150)
  })
  it("waits at least what Retry-After asks, plus a little jitter", () => {
    expect(backoffMs(0, () => 0, policy, 5_000)).toBe(5_000)
    expect(backoffMs(9, () => 0.999, policy, 5_000)).toBe(5_499)
  })
  it("caps an absurd Retry-After", () => expect(backoffMs(0, () => 0, DEFAULT_RETRY, 86_400_000)).toBe(DEFAULT_RETRY.maxRetryAfterMs))
})
