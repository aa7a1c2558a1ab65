// The wire shape of each resource, one Effect Schema each, built from the events' own field schemas: what command
// handlers answer with, what lists show (the Listed* extensions) and what the OpenAPI document publishes. Never a
// hash or secret. The edge maps read-model rows onto the same schemas (src/edge/views.ts).
import { Schema } from "effect"
import { KioskAssigned, KioskCredentialRotated, KioskLocation, KioskName, KioskRegistered } from "./kiosk/events.ts"
import type { KioskState } from "./kiosk/state.ts"
import type { PaymentState } from "./payment/decide.ts"
import { PaymentRecorded, PaymentRefunded } from "./payment/events.ts"
import { Commit } from "./shared/envelope.ts"
import { PAYMENT_STATUSES, paymentStatus } from "./shared/money.ts"
import { type Contact, kindsOf, NotificationKinds, NotificationPreferences, UserRegistered } from "./user/events.ts"
import type { UserState } from "./user/decide.ts"

const user = UserRegistered.fields.data.fields
const kiosk = KioskRegistered.fields.data.fields
const recorded = PaymentRecorded.fields.data.fields
const refunded = PaymentRefunded.fields.data.fields

/** A contact as the API shows it: the notification kinds always spelled out (the defaults when never chosen). */
export const ContactView = Schema.Struct({
  ...user.contact.fields,
  preferences: Schema.Struct({ ...NotificationPreferences.fields, kinds: NotificationKinds }).annotate({ title: "NotificationPreferencesView" }),
}).annotate({ title: "ContactView" })
export type ContactView = typeof ContactView.Type

export const UserView = Schema.Struct({
  id: user.userId,
  username: user.username,
  role: user.role,
  active: Schema.Boolean,
  contact: ContactView,
}).annotate({ title: "User" })
export type UserView = typeof UserView.Type

export const KioskView = Schema.Struct({
  id: kiosk.kioskId,
  code: kiosk.code,
  // The events hold these texts already normalised; the caller-facing schemas say which rules made them so.
  name: KioskName,
  location: KioskLocation,
  operatorId: Schema.NullOr(KioskAssigned.fields.data.fields.operatorId),
  status: Schema.Literals(["active", "decommissioned"]),
  connectivity: Schema.Literals(["unknown", "online", "offline"]),
  credentialVersion: KioskCredentialRotated.fields.data.fields.credentialVersion,
}).annotate({ title: "Kiosk" })
export type KioskView = typeof KioskView.Type

/** A kiosk as the read model knows it: what the write side knows, plus when it was seen, its app and operator. */
export const ListedKioskView = Schema.Struct({
  ...KioskView.fields,
  /** The latest of its heartbeats, its connectivity changes and the payments it sent; null if never heard from. */
  lastSeenAt: Schema.NullOr(Commit.fields.time),
  registeredAt: Commit.fields.time,
  appVersion: Schema.NullOr(Schema.String),
  /** The assigned operator's username. */
  operatorName: Schema.NullOr(Schema.String),
}).annotate({ title: "ListedKiosk" })
export type ListedKioskView = typeof ListedKioskView.Type

/** A payment, the same whether a command answers with it (a receipt, a refund) or a list shows it. */
export const PaymentView = Schema.Struct({
  id: recorded.paymentId,
  kioskId: recorded.kioskId,
  amount: recorded.amount,
  currency: recorded.currency,
  /** What its refunds took back, and what is left. */
  refunded: Schema.Int,
  net: Schema.Int,
  status: Schema.Literals(PAYMENT_STATUSES),
  operatorId: recorded.operatorId,
  /** When the kiosk took it (its clock). */
  occurredAt: recorded.occurredAt,
  /** When we recorded it. */
  recordedAt: Commit.fields.time,
}).annotate({ title: "Payment" })
export type PaymentView = typeof PaymentView.Type

export const RefundView = Schema.Struct({
  id: refunded.refundId,
  amount: refunded.amount,
  reason: Schema.String,
  /** When it was refunded (business time). */
  refundedAt: Commit.fields.time,
}).annotate({ title: "Refund" })
export type RefundView = typeof RefundView.Type

/** A payment as lists and the detail page show it: its refunds, and its kiosk and operator by name. */
export const ListedPaymentView = Schema.Struct({
  ...PaymentView.fields,
  /** The kiosk's printed code and name (null only while the kiosks read model has not seen it yet). */
  kioskCode: Schema.NullOr(Schema.String),
  kioskName: Schema.NullOr(Schema.String),
  operatorName: Schema.NullOr(Schema.String),
  refunds: Schema.Array(RefundView),
}).annotate({ title: "ListedPayment" })
export type ListedPaymentView = typeof ListedPaymentView.Type

export const contactView = (contact: Contact): ContactView =>
  ({ ...contact, preferences: { ...contact.preferences, kinds: kindsOf(contact.preferences) } })

export function userView(state: Exclude<UserState, { status: "none" }>): UserView {
  return { id: state.userId, username: state.username, role: state.role, active: state.status === "active", contact: contactView(state.contact) }
}

export function kioskView(state: Exclude<KioskState, { status: "none" }>): KioskView {
  return {
    id: state.kioskId, code: state.code, name: state.name, location: state.location, operatorId: state.operatorId,
    status: state.status, connectivity: state.connectivity, credentialVersion: state.credentialVersion,
  }
}

/** The one payment mapper of the write side: a receipt is the state folded from its PaymentRecorded alone. */
export function paymentView(state: Exclude<PaymentState, { status: "none" }>): PaymentView {
  const net = state.amount - state.refunded
  return {
    id: state.paymentId, kioskId: state.kioskId, amount: state.amount, currency: state.currency,
    refunded: state.refunded, net, status: paymentStatus(state.refunded, net), operatorId: state.operatorId,
    occurredAt: state.occurredAt, recordedAt: state.recordedAt,
  }
}
