// The payment's rules: only a registered, active kiosk takes payments; amounts are positive, bounded integer
// minor units in an ISO 4217 currency; the time of sale is one the kiosk could honestly claim (real, not ahead of
// the server, within the forwarding window); an idempotency key makes a payment (or a refund) happen once, and
// never stands for a different request; a refund never exceeds what is left of its payment.
import { accept, type Decider, nothingToDo, reject, type Stamped } from "../shared/decider.ts"
import { Conflict, type DomainError, Invalid, NotFound } from "../shared/errors.ts"
import { type ClockWindow, instantProblem } from "../shared/instant.ts"
import { type Currency, isCurrency, isValidAmount, MAX_AMOUNT_MINOR } from "../shared/money.ts"
import type { PaymentEvent } from "./events.ts"

export type PaymentState =
  | { readonly status: "none" }
  | {
    readonly status: "recorded"
    readonly paymentId: string
    readonly kioskId: string
    readonly amount: number
    readonly currency: Currency
    readonly requestHash: string
    readonly operatorId: string | null
    /** When the kiosk took it (its clock) and when we recorded it (the commit's time): what its receipt says. */
    readonly occurredAt: string
    readonly recordedAt: string
    readonly refunded: number
    /** What each refund asked for, so that a retry under its key can be told from a reuse of the key. */
    readonly refunds: ReadonlyArray<RefundFacts>
  }

export interface RefundFacts {
  readonly refundId: string
  readonly amount: number
  readonly reason: string
}

/** What the payment needs to know of its kiosk, loaded by the handler from the kiosk's own stream. */
export interface KioskFacts {
  readonly status: "none" | "active" | "decommissioned"
  readonly operatorId: string | null
}

export type PaymentCommand =
  | {
    readonly type: "RecordPayment"
    readonly paymentId: string
    readonly kioskId: string
    readonly amount: number
    readonly currency: string
    readonly occurredAt: string
    readonly requestHash: string
    readonly kiosk: KioskFacts
    /** The server's clock and how far back `occurredAt` may lie. */
    readonly clock: ClockWindow
  }
  | {
    readonly type: "RefundPayment"
    readonly refundId: string
    readonly amount: number
    readonly reason: string
    /** An imported refund's own time, judged like a kiosk's time of sale: never ahead of the server's clock. */
    readonly refundedAt?: { readonly at: string; readonly clock: ClockWindow } | undefined
  }

const badAmount = (amount: number) =>
  reject(new Invalid({ message: `amount must be a positive integer of minor units, at most ${MAX_AMOUNT_MINOR}; got ${amount}` }))

function decide(command: PaymentCommand, state: PaymentState) {
  switch (command.type) {
    case "RecordPayment": {
      if (state.status === "recorded") {
        // A retry under the same idempotency key: the original stands, provided it is the same request.
        return state.requestHash === command.requestHash
          ? nothingToDo
          : reject(new Invalid({ message: "this Idempotency-Key was already used for a different payment" }))
      }
      if (command.kiosk.status === "none") return reject(new NotFound({ message: "kiosk not found" }))
      if (command.kiosk.status === "decommissioned") return reject(new Conflict({ message: "kiosk is decommissioned and takes no payments" }))
      if (!isValidAmount(command.amount)) return badAmount(command.amount)
      if (!isCurrency(command.currency)) return reject(new Invalid({ message: `unknown currency "${command.currency}"` }))
      const late = instantProblem(command.occurredAt, command.clock)
      if (late !== undefined) return reject(new Invalid({ message: `occurred_at ${late}`, field: { in: "body", name: "occurred_at" } }))
      return accept<PaymentEvent>({
        type: "PaymentRecorded",
        data: {
          paymentId: command.paymentId,
          kioskId: command.kioskId,
          amount: command.amount,
          currency: command.currency,
          occurredAt: command.occurredAt,
          operatorId: command.kiosk.operatorId,
          requestHash: command.requestHash,
        },
      })
    }
    case "RefundPayment": {
      if (state.status === "none") return reject(new NotFound({ message: "payment not found" }))
      const earlier = state.refunds.find((r) => r.refundId === command.refundId)
      if (earlier !== undefined) {
        // A retry under the same idempotency key: the original refund stands, provided it is the same request.
        return earlier.amount === command.amount && earlier.reason === command.reason
          ? nothingToDo
          : reject(new Invalid({ message: "this Idempotency-Key was already used for a refund with a different amount or reason" }))
      }
      if (!isValidAmount(command.amount)) return badAmount(command.amount)
      const left = state.amount - state.refunded
      if (command.amount > left) {
        return reject(new Invalid({ message: `refund of ${command.amount} exceeds the ${left} left of this payment` }))
      }
      const when = command.refundedAt
      const late = when === undefined ? undefined : instantProblem(when.at, when.clock)
      if (late !== undefined) return reject(new Invalid({ message: `refunded_at ${late}` }))
      return accept<PaymentEvent>({
        type: "PaymentRefunded",
        data: {
          paymentId: state.paymentId,
          kioskId: state.kioskId,
          refundId: command.refundId,
          amount: command.amount,
          currency: state.currency,
          reason: command.reason,
          operatorId: state.operatorId,
          ...(when === undefined ? {} : { refundedAt: when.at }),
        },
      })
    }
  }
}

function evolve(state: PaymentState, event: Stamped<PaymentEvent>): PaymentState {
  switch (event.type) {
    case "PaymentRecorded": {
      const { paymentId, kioskId, amount, currency, requestHash, operatorId, occurredAt } = event.data
      return {
        status: "recorded", paymentId, kioskId, amount, currency, requestHash, operatorId, occurredAt, recordedAt: event.time,
        refunded: 0, refunds: [],
      }
    }
    case "PaymentRefunded":
      return state.status === "none"
        ? state
        : {
          ...state,
          refunded: state.refunded + event.data.amount,
          refunds: [...state.refunds, { refundId: event.data.refundId, amount: event.data.amount, reason: event.data.reason }],
        }
  }
}

// Version 2: the state keeps each refund's amount and reason (version 1 kept only their ids). Version 3: and when
// the payment occurred and was recorded.
export const paymentDecider:
  & Decider<PaymentState, PaymentCommand, PaymentEvent, DomainError, Stamped<PaymentEvent>>
  & { readonly name: "payment"; readonly snapshotVersion: 3 } = {
  name: "payment",
  snapshotVersion: 3,
  initialState: () => ({ status: "none" }),
  decide,
  evolve,
}
