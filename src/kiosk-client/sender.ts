// The delivery loop: the oldest queued sale goes first, one at a time, so the edge sees a kiosk's sales in order.
// It waits (jittered back-off, Retry-After as a floor) on network errors, 408, 429 and 5xx, parks the queue on 401
// until a new credential arrives, and moves a sale refused with any other 4xx to the rejected list. A sale is
// dropped from the queue only after its delivery is durable in the journal: killed in between, the kiosk sends it
// again under the same Idempotency-Key and the edge answers with the original payment.
import { backoffMs, type RetryPolicy, verdictOf } from "./delivery.ts"
import { type EdgeConnection, type Exchange, postPayment, problemOf, receiptOf } from "./edgeCalls.ts"
import type { Ledger } from "./ledger.ts"

/** What the kiosk knows of its link to the edge, for the status bar and the heartbeat. */
export interface LinkState {
  /** Whether the last exchange got an HTTP answer from the edge (null before the first). */
  reachable: boolean | null
  /** The edge refused the device token (401): the queue waits for `rotateCredential`. */
  credentialRefused: boolean
  /** Failed attempts in a row for the sale at the head of the queue. */
  failures: number
  nextAttemptAt: number | null
  lastError: string | null
}

export interface SenderDeps {
  readonly ledger: Ledger
  readonly edge: EdgeConnection
  readonly policy: RetryPolicy
  readonly random: () => number
  readonly link: LinkState
  /** Called after every change of the queue or the link. */
  readonly changed: () => void
}

export interface Sender {
  /** A new sale: look at the queue if the loop is idle (a back-off in progress is not cut short by more sales). */
  nudge(): void
  /** Try now, even in the middle of a back-off: a new credential, or "the network is back". */
  retryNow(): void
  /** Stops after the exchange in flight (which is abandoned: its sale stays queued). */
  stop(): Promise<void>
}

export function startSender(deps: SenderDeps): Sender {
  const { ledger, link } = deps
  let stopped = false
  let resume: (() => void) | undefined
  let backingOff = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const inFlight = new AbortController()

  const wake = () => {
    clearTimeout(timer)
    const go = resume
    resume = undefined
    go?.()
  }
  /** Idle until woken; with `ms`, a back-off that ends by itself or by retryNow. */
  const pause = (ms?: number) => new Promise<void>((resolve) => {
    resume = resolve
    backingOff = ms !== undefined
    if (ms !== undefined) timer = setTimeout(wake, ms)
  })

  async function failed(reason: string, retryAfter?: number) {
    link.failures += 1
    link.lastError = reason
    const wait = backoffMs(link.failures - 1, deps.random, deps.policy, retryAfter)
    link.nextAttemptAt = deps.edge.now() + wait
    deps.changed()
    await pause(wait)
    link.nextAttemptAt = null
  }

  async function settle(key: string, token: string, answer: Extract<Exchange, { kind: "answer" }>) {
    link.reachable = true
    const at = new Date(deps.edge.now()).toISOString()
    switch (verdictOf(answer.status)) {
      case "delivered": {
        const receipt = receiptOf(answer.body)
        if (receipt === undefined) return failed(`HTTP ${answer.status} without a payment receipt`)
        await ledger.commit([{ kind: "delivered", key, paymentId: receipt.paymentId, seq: receipt.seq, at }])
        link.failures = 0
        link.lastError = null
        return deps.changed()
      }
      case "retry":
        return failed(`HTTP ${answer.status}: ${problemOf(answer).detail}`, answer.retryAfterMs)
      case "hold":
        // A credential rotated while this request was out is not the one refused: try again with it.
        if (ledger.state.token !== token) return
        link.credentialRefused = true
        link.lastError = `HTTP 401: ${problemOf(answer).detail}`
        return deps.changed()
      case "reject":
        await ledger.commit([{ kind: "rejected", key, status: answer.status, problem: problemOf(answer), at }])
        link.failures = 0
        return deps.changed()
    }
  }

  async function run() {
    while (!stopped) {
      const head = ledger.state.queue.values().next().value
      const token = ledger.state.token
      if (head === undefined || token === null || link.credentialRefused) {
        await pause()
        continue
      }
      const answer = await postPayment(deps.edge, token, head, inFlight.signal)
      if (stopped) return
      try {
        if (answer.kind === "unreachable") {
          link.reachable = false
          await failed(answer.reason)
        } else {
          await settle(head.key, token, answer)
        }
      } catch (error) {
        // The journal could not record the outcome (disk full…): the sale stays queued and goes again later.
        await failed(`journal: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  const running = run()
  return {
    nudge: () => { if (!backingOff) wake() },
    retryNow: wake,
    async stop() {
      stopped = true
      inFlight.abort()
      wake()
      await running
    },
  }
}
