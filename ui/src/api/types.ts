// The shapes of DESIGN.md's HTTP contract as the console reads them. Field names follow the events (camelCase);
// query parameters and `next_cursor` follow the contract (snake_case). Checked against /docs/json by
// ui/scripts/check-openapi.ts once the edge publishes it.

export type Role = "admin" | "operator" | "auditor"
export type Language = "en" | "es"
export type Channel = "email" | "sms" | "push"

export interface NotificationPreferences { email: boolean; sms: boolean; push: boolean }
export interface Contact {
  displayName: string | null
  email: string | null
  phone: string | null
  language: Language
  preferences: NotificationPreferences
}
export interface User {
  id: string
  username: string
  role: Role
  active: boolean
  contact: Contact
}
export interface Session { token: string; refreshToken: string; user: User; expiresIn?: number }
export interface UserQuery extends PageQuery {
  role?: Role | undefined
  active?: boolean | undefined
  q?: string | undefined
  sort?: "username" | "-username" | "registered_at" | "-registered_at" | undefined
}

/** A list page: `next_cursor` is null on the last page; `seq` (when sent) is the stream position it reflects. */
export interface Page<T> { items: T[]; next_cursor: string | null; seq?: number }
export interface PageQuery { limit?: number; cursor?: string | undefined; min_seq?: number | undefined }

/** Whether it talks to us: "unknown" until its first heartbeat. */
export type Connectivity = "online" | "offline" | "unknown"
/** The command side's KioskView, plus what the read model knows (last seen, registration time). */
export interface Kiosk {
  id: string
  code: string
  name: string
  location: string
  operatorId: string | null
  status: "active" | "decommissioned"
  connectivity: Connectivity
  credentialVersion: number
  lastSeenAt: string | null
  registeredAt?: string
  /** The operator's username, when the edge joins it in (lists for admins and auditors). */
  operatorName?: string | null
}
export type KioskSort = "name" | "-name" | "code" | "-code" | "registered_at" | "-registered_at"
export type KioskStatusFilter = "unknown" | "online" | "offline" | "decommissioned"
export interface KioskQuery extends PageQuery {
  q?: string | undefined
  status?: KioskStatusFilter | undefined
  location?: string | undefined
  /** An operator's id, or "none" for unassigned kiosks. */
  operator_id?: string | undefined
  sort?: KioskSort | undefined
}
export interface KioskSummary { total: number; online: number; offline: number }
export interface RegisteredKiosk { kiosk: Kiosk; deviceToken: string; seq: number }
export interface RotatedCredential { deviceToken: string; credentialVersion: number; seq: number }
export interface KioskChange { kiosk: Kiosk; seq: number }

export type PaymentStatus = "captured" | "partially_refunded" | "refunded"
/** The command side's PaymentView (amounts in minor units), plus when it happened and was recorded. */
export interface Payment {
  id: string
  kioskId: string
  amount: number
  currency: string
  refunded: number
  net: number
  status: PaymentStatus
  operatorId: string | null
  occurredAt: string
  recordedAt?: string
  /** The refunds already counted in `refunded` (lists send them): a refund is never counted twice. */
  refunds?: ReadonlyArray<{ id: string }>
}
export interface PaymentQuery extends PageQuery {
  kiosk_id?: string | undefined
  /** First UTC day (YYYY-MM-DD), inclusive, of `occurredAt`. */
  from?: string | undefined
  /** Last UTC day (YYYY-MM-DD), inclusive. */
  to?: string | undefined
  status?: PaymentStatus | undefined
}
export interface PaymentChange { payment: Payment; refund?: { id: string; amount: number }; seq: number }

/** Net sales of one UTC day in one currency, in minor units. */
export interface DailySales { date: string; currency: string; gross: number; refunds: number; net: number; count: number }
/** `from` and `to` are UTC days (YYYY-MM-DD), both inclusive. */
export interface SalesQuery { from: string; to: string; kiosk_id?: string | undefined; min_seq?: number | undefined }

export type NotificationStatus = "requested" | "sent" | "failed"
/** A message "sent" by this provider went to the outbox of a channel that is not configured. */
export const OUTBOX_PROVIDER = "outbox"
export interface NotificationMessage {
  id: string
  channel: Channel
  address: string
  template: string
  language: Language
  status: NotificationStatus
  attempts: number
  reason: string | null
  provider: string | null
  requestedAt: string
  updatedAt: string
  userId: string | null
}

/** An event as the WebSocket forwards it (the envelope's fields around the domain event). */
export interface LiveEvent<Data = Record<string, unknown>> {
  id: string
  type: string
  version?: number
  data: Data
  time: string
}
export interface PaymentRecordedData {
  paymentId: string; kioskId: string; amount: number; currency: string; occurredAt: string; operatorId: string | null
}
export interface PaymentRefundedData {
  paymentId: string; kioskId: string; refundId: string; amount: number; currency: string; reason: string
  operatorId: string | null
}
