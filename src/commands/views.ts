// What command handlers answer with: the aggregate as the caller may see it (never a hash or secret).
import type { KioskState } from "./kiosk/state.ts"
import type { PaymentState } from "./payment/decide.ts"
import { type Currency, paymentStatus, type PaymentStatus } from "./shared/money.ts"
import type { Role } from "./shared/event.ts"
import { type Contact, kindsOf, type NotificationKinds } from "./user/events.ts"
import type { UserState } from "./user/decide.ts"

export interface UserView {
  readonly id: string
  readonly username: string
  readonly role: Role
  readonly active: boolean
  readonly contact: ContactView
}

/** A contact with its notification kinds spelled out: the defaults for an account that never chose. */
export type ContactView = Contact & { readonly preferences: Contact["preferences"] & { readonly kinds: NotificationKinds } }

export const contactView = (contact: Contact): ContactView =>
  ({ ...contact, preferences: { ...contact.preferences, kinds: kindsOf(contact.preferences) } })

export interface KioskView {
  readonly id: string
  readonly code: string
  readonly name: string
  readonly location: string
  readonly operatorId: string | null
  readonly status: "active" | "decommissioned"
  readonly connectivity: "unknown" | "online" | "offline"
  readonly credentialVersion: number
}

export interface PaymentView {
  readonly id: string
  readonly kioskId: string
  readonly amount: number
  readonly currency: Currency
  readonly refunded: number
  readonly net: number
  readonly status: PaymentStatus
  readonly operatorId: string | null
}

export function userView(state: Exclude<UserState, { status: "none" }>): UserView {
  return { id: state.userId, username: state.username, role: state.role, active: state.status === "active", contact: contactView(state.contact) }
}

export function kioskView(state: Exclude<KioskState, { status: "none" }>): KioskView {
  return {
    id: state.kioskId, code: state.code, name: state.name, location: state.location, operatorId: state.operatorId,
    status: state.status, connectivity: state.connectivity, credentialVersion: state.credentialVersion,
  }
}

export function paymentView(state: Exclude<PaymentState, { status: "none" }>): PaymentView {
  const net = state.amount - state.refunded
  return {
    id: state.paymentId, kioskId: state.kioskId, amount: state.amount, currency: state.currency,
    refunded: state.refunded, net, operatorId: state.operatorId,
    status: paymentStatus(state.refunded, net),
  }
}
