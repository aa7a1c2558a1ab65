// A notification's delivery, as a state machine on its own subject. Every step is an append with optimistic
// concurrency, so at most one worker holds an attempt, and the record says how far an attempt got:
//   requested → attempt started (claimed, leased) → handed over (provider may have it) → sent | attempt failed | failed
// A claim whose lease lapsed is resolved by what it reached: not handed over → nothing left us, try again;
// handed over → the provider may have it, so it counts as sent (unconfirmed) and is never sent again on its own.
import { accept, type Decider, nothingToDo, reject } from "../shared/decider.ts"
import { Conflict, Invalid, NotFound } from "../shared/errors.ts"
import type { NotificationEvent, NotificationRequested } from "./events.ts"

export type NotificationRequest = (typeof NotificationRequested.Type)["data"]

export interface RetryPolicy {
  /** Attempts per round (the first delivery, or an admin's retry) before NotificationFailed. */
  readonly maxAttempts: number
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
}

export interface CurrentAttempt {
  readonly attempt: number
  readonly provider: string
  readonly leaseUntil: string
  /** Set once handed over: the key the provider knows it by. */
  readonly providerKey: string | null
}

export type NotificationState =
  | { readonly status: "none" }
  | {
    readonly status: "pending" | "attempting" | "sent" | "failed"
    readonly request: NotificationRequest
    /** Attempts started so far, over all rounds. */
    readonly attempts: number
    /** `attempts` when the current round began (0, or when an admin asked for a retry). */
    readonly roundStart: number
    /** When a pending notification may be tried (null: now). */
    readonly retryAt: string | null
    readonly current: CurrentAttempt | null
    readonly lastError: string | null
    /** For a sent notification: whether the provider confirmed it. */
    readonly confirmed: boolean
  }

export type NotificationCommand =
  | { readonly type: "RequestNotification"; readonly request: NotificationRequest }
  | { readonly type: "StartAttempt"; readonly provider: string; readonly worker: string; readonly now: string; readonly leaseMs: number }
  | { readonly type: "HandOver"; readonly attempt: number; readonly providerKey: string }
  | { readonly type: "RecordSent"; readonly attempt: number; readonly provider: string; readonly providerMessageId: string }
  | {
    readonly type: "RecordFailure"
    readonly attempt: number
    readonly outcome: "retry" | "give-up" | "unknown"
    readonly reason: string
    readonly now: string
    readonly policy: RetryPolicy
  }
  | { readonly type: "ResolveAbandoned"; readonly now: string; readonly policy: RetryPolicy }
  | { readonly type: "RetryNotification" }

/** Exponential: base, 2×base, 4×base… capped. Deterministic, so every worker agrees on the record. */
export const backoffMs = (failuresInRound: number, policy: RetryPolicy) =>
  Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, failuresInRound - 1))

const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString()

type Known = Exclude<NotificationState, { status: "none" }>

function decide(command: NotificationCommand, state: NotificationState) {
  if (command.type === "RequestNotification") {
    // The id derives from the cause: asking again for the same notification is already satisfied.
    return state.status === "none" ? accept<NotificationEvent>({ type: "NotificationRequested", data: command.request }) : nothingToDo
  }
  if (state.status === "none") return reject(new NotFound({ message: "notification not found" }))
  const notificationId = state.request.notificationId
  switch (command.type) {
    case "StartAttempt": {
      if (state.status !== "pending") return reject(new Conflict({ message: `notification is ${state.status}, not pending` }))
      if (state.retryAt !== null && Date.parse(state.retryAt) > Date.parse(command.now)) {
        return reject(new Conflict({ message: `next attempt is due at ${state.retryAt}` }))
      }
      return accept<NotificationEvent>({
        type: "NotificationAttemptStarted",
        data: { notificationId, attempt: state.attempts + 1, provider: command.provider, worker: command.worker, leaseUntil: at(command.now, command.leaseMs) },
      })
    }
    case "HandOver": {
      const current = ownAttempt(state, command.attempt)
      if (!current) return reject(lostClaim(command.attempt))
      if (current.providerKey !== null) return nothingToDo
      return accept<NotificationEvent>({ type: "NotificationHandedOver", data: { notificationId, attempt: command.attempt, providerKey: command.providerKey } })
    }
    case "RecordSent": {
      if (state.status === "sent") return nothingToDo
      if (!ownAttempt(state, command.attempt)) return reject(lostClaim(command.attempt))
      return sent(state, command.provider, command.providerMessageId, true)
    }
    case "RecordFailure": {
      const current = ownAttempt(state, command.attempt)
      if (!current) return reject(lostClaim(command.attempt))
      // "Unknown" only means something once the provider could have taken it; before that it is a plain retry.
      if (command.outcome === "unknown" && current.providerKey !== null) {
        return sent(state, current.provider, current.providerKey, false)
      }
      if (command.outcome === "give-up") return failed(state, command.reason)
      return retryOrFail(state, command.reason, command.now, command.policy)
    }
    case "ResolveAbandoned": {
      if (state.status !== "attempting" || state.current === null) return nothingToDo
      if (Date.parse(state.current.leaseUntil) > Date.parse(command.now)) {
        return reject(new Conflict({ message: `attempt ${state.current.attempt} is leased until ${state.current.leaseUntil}` }))
      }
      if (state.current.providerKey !== null) return sent(state, state.current.provider, state.current.providerKey, false)
      return retryOrFail(state, "the worker stopped before handing the message over", command.now, command.policy)
    }
    case "RetryNotification": {
      if (state.status === "failed" || (state.status === "sent" && !state.confirmed)) {
        return accept<NotificationEvent>({ type: "NotificationRetryRequested", data: { notificationId } })
      }
      return reject(new Invalid({ message: `only a failed or unconfirmed notification can be retried; this one is ${state.status}` }))
    }
  }
}

const ownAttempt = (state: Known, attempt: number) =>
  state.status === "attempting" && state.current?.attempt === attempt ? state.current : undefined

const lostClaim = (attempt: number) => new Conflict({ message: `attempt ${attempt} is no longer the current one` })

const sent = (state: Known, provider: string, providerMessageId: string, confirmed: boolean) =>
  accept<NotificationEvent>({
    type: "NotificationSent",
    data: {
      notificationId: state.request.notificationId, channel: state.request.channel, provider, providerMessageId,
      attempts: state.attempts - state.roundStart, ...(confirmed ? {} : { confirmed: false }),
    },
  })

const failed = (state: Known, reason: string) =>
  accept<NotificationEvent>({
    type: "NotificationFailed",
    data: { notificationId: state.request.notificationId, channel: state.request.channel, reason, attempts: state.attempts - state.roundStart },
  })

function retryOrFail(state: Known, reason: string, now: string, policy: RetryPolicy) {
  const made = state.attempts - state.roundStart
  if (made >= policy.maxAttempts) return failed(state, `${reason} (gave up after ${made} attempts)`)
  return accept<NotificationEvent>({
    type: "NotificationAttemptFailed",
    data: { notificationId: state.request.notificationId, attempt: state.attempts, reason, retryAt: at(now, backoffMs(made, policy)) },
  })
}

function evolve(state: NotificationState, event: NotificationEvent): NotificationState {
  if (event.type === "NotificationRequested") {
    return {
      status: "pending", request: event.data, attempts: 0, roundStart: 0, retryAt: null, current: null, lastError: null, confirmed: false,
    }
  }
  if (state.status === "none") return state
  switch (event.type) {
    case "NotificationAttemptStarted":
      return {
        ...state, status: "attempting", attempts: event.data.attempt,
        current: { attempt: event.data.attempt, provider: event.data.provider, leaseUntil: event.data.leaseUntil, providerKey: null },
      }
    case "NotificationHandedOver":
      return state.current ? { ...state, current: { ...state.current, providerKey: event.data.providerKey } } : state
    case "NotificationAttemptFailed":
      return { ...state, status: "pending", current: null, retryAt: event.data.retryAt, lastError: event.data.reason }
    case "NotificationSent":
      return { ...state, status: "sent", current: null, confirmed: event.data.confirmed ?? true }
    case "NotificationFailed":
      return { ...state, status: "failed", current: null, lastError: event.data.reason }
    case "NotificationRetryRequested":
      return { ...state, status: "pending", roundStart: state.attempts, retryAt: null, confirmed: false }
  }
}

export const notificationDecider: Decider<NotificationState, NotificationCommand, NotificationEvent> & {
  readonly name: "notification"
  readonly snapshotVersion: 1
} = {
  name: "notification",
  snapshotVersion: 1,
  initialState: () => ({ status: "none" }),
  decide,
  evolve,
}

/** What a worker holding a trigger message should do now. */
export type NextStep =
  | { readonly kind: "attempt" }
  | { readonly kind: "wait"; readonly ms: number }
  | { readonly kind: "resolve-abandoned" }
  | { readonly kind: "done" }

export function nextStep(state: NotificationState, now: string): NextStep {
  const nowMs = Date.parse(now)
  switch (state.status) {
    case "none":
    case "sent":
    case "failed":
      return { kind: "done" }
    case "pending": {
      const due = state.retryAt === null ? nowMs : Date.parse(state.retryAt)
      return due <= nowMs ? { kind: "attempt" } : { kind: "wait", ms: due - nowMs }
    }
    case "attempting": {
      const lapses = Date.parse(state.current?.leaseUntil ?? now)
      return lapses <= nowMs ? { kind: "resolve-abandoned" } : { kind: "wait", ms: lapses - nowMs }
    }
  }
}
