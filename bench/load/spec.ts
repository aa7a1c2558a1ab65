// What the bench asks its load-generator process to do, and what that process answers.
// The process (loadProcess.ts) is separate from the servers under test and from the bench itself, so that no
// measured server shares an event loop with the load that measures it.

export interface KioskCredential {
  readonly id: string
  readonly token: string
}

/** POST /payments as a kiosk would send it: round-robin over the kiosks, a new Idempotency-Key each time. */
export interface PaymentRequests {
  readonly kind: "payments"
  readonly kiosks: ReadonlyArray<KioskCredential>
  /** Keep the id and seq of every 2xx payment (for the correctness checks). */
  readonly recordIds: boolean
}
export interface GetRequests {
  readonly kind: "get"
  readonly path: string
}
export interface LoginRequests {
  readonly kind: "login"
  readonly username: string
  readonly password: string
}
export type RequestPlan = PaymentRequests | GetRequests | LoginRequests

export interface LoadSpec {
  readonly origin: string
  /**
   * `autocannon`: closed loop, `connections` keep-alive connections, as fast as the server answers (throughput).
   * `paced`: open loop at `ratePerSecond`, evenly spaced, latency from each request's scheduled time (no
   * coordinated omission); autocannon's own rate limit sends each second's quota in one burst, so it can't do this.
   * `fresh-address`: closed loop, every request on a new connection from its own loopback address (logins: the
   * edge limits them per client address, as a fleet of people on many networks would meet it).
   */
  readonly driver: "autocannon" | "paced" | "fresh-address"
  readonly connections: number
  readonly durationSeconds: number
  readonly ratePerSecond?: number
  /** `paced` only: this long at the same rate first, on the same connections, unmeasured (warms both ends). */
  readonly warmupSeconds?: number
  readonly request: RequestPlan
  /** Prefix of this run's idempotency keys: unique per run, so that no request is a retry. */
  readonly tag: string
}

export interface LoadResult {
  readonly driver: LoadSpec["driver"]
  /** Requests answered (any status). */
  readonly requests: number
  readonly ok: number
  /** Answers by status code, e.g. { "201": 5000, "429": 3 }. */
  readonly statusCodes: Readonly<Record<string, number>>
  /** Connection errors and timeouts (no answer). */
  readonly errors: number
  readonly firstError?: string
  readonly seconds: number
  /** Latency of every 2xx answer, ms. */
  readonly latencyMs: ReadonlyArray<number>
  /** Payments: the id of every 2xx payment, in answer order. */
  readonly paymentIds?: ReadonlyArray<string>
  /** Payments: the most requests any one kiosk sent in this run (to show the per-kiosk limit never engaged). */
  readonly maxPerKiosk?: number
  /** The warm-up's answers (when the spec asked for one): counted by the checks, not in the latencies or rates. */
  readonly warmup?: Pick<LoadResult, "requests" | "statusCodes" | "errors" | "paymentIds">
}
