// Read-model rows (snake_case columns) as the API shows them: typed against the write side's wire schemas
// (src/commands/views.ts), so a kiosk or payment looks alike whether it came from a command or from a list.
import type { KioskRow, PaymentRow, UserRow } from "../projections/index.ts"
import { contactView, type Currency, type ListedKioskView, type ListedPaymentView, paymentStatus, type UserView } from "../commands/index.ts"

export function kioskFromRow(row: KioskRow): ListedKioskView {
  const retired = row.status === "decommissioned"
  return {
    id: row.kiosk_id,
    code: row.code,
    name: row.name,
    location: row.location,
    operatorId: row.assignee_id,
    status: retired ? "decommissioned" : "active",
    // Until the offline detector has judged it, we cannot say whether it is up.
    connectivity: row.status === "online" || row.status === "offline" ? row.status : "unknown",
    credentialVersion: row.credential_version,
    lastSeenAt: row.last_seen_at,
    registeredAt: row.registered_at,
    appVersion: row.app_version,
    operatorName: row.operator_name,
  }
}

export function paymentFromRow(row: PaymentRow): ListedPaymentView {
  return {
    id: row.payment_id,
    kioskId: row.kiosk_id,
    amount: row.amount,
    currency: row.currency as Currency,
    refunded: row.refunded_amount,
    net: row.net_amount,
    status: paymentStatus(row.refunded_amount, row.net_amount),
    operatorId: row.operator_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    kioskCode: row.kiosk_code,
    kioskName: row.kiosk_name,
    operatorName: row.operator_name,
    refunds: row.refunds.map((r) => ({ id: r.refund_id, amount: r.amount, reason: r.reason, refundedAt: r.refunded_at })),
  }
}

export function userFromRow(row: UserRow): UserView {
  return {
    id: row.user_id,
    username: row.username,
    role: row.role,
    active: row.active,
    contact: contactView({ displayName: row.display_name, email: row.email, phone: row.phone, language: row.language, preferences: row.preferences }),
  }
}
