// How the sender reads an answer and how long it waits before trying again. Pure.
//   2xx with a payment → delivered; network error, 408, 429, 5xx → retry with jittered exponential back-off
//   (at least the Retry-After the edge asked for); 401 → hold the queue until a new credential arrives (the
//   payments are fine, the device's token is not); any other 4xx → that payment is rejected for good.

export type Verdict = "delivered" | "retry" | "hold" | "reject"

export function verdictOf(status: number): Verdict {
  if (status >= 200 && status < 300) return "delivered"
  if (status === 401) return "hold"
  if (status === 408 || status === 429 || status >= 500) return "retry"
  return "reject"
}

export interface RetryPolicy {
  /** The first back-off's ceiling; it doubles with every failed attempt… */
  readonly baseMs: number
  /** …up to this ceiling. */
  readonly maxMs: number
  /** A Retry-After longer than this is shortened to it (a misconfigured proxy must not park a kiosk for a day). */
  readonly maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 }

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1_000
  // An HTTP date names its weekday and month; Date.parse would also take "-3" as a year.
  const date = /^[A-Za-z]{3}, /.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/**
 * The wait before attempt `failures + 1`. "Full jitter" (a uniform draw below the exponential ceiling) spreads a
 * fleet that lost the edge at the same moment; a Retry-After is honoured as a floor, with a little jitter on top
 * so that the fleet does not come back in the same millisecond either.
 */
export function backoffMs(failures: number, random: () => number, policy: RetryPolicy = DEFAULT_RETRY, retryAfter?: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 30))
  if (retryAfter === undefined) return Math.floor(random() * ceiling)
  return Math.min(retryAfter, policy.maxRetryAfterMs) + Math.floor(random() * policy.baseMs)
}
