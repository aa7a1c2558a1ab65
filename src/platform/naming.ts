// The one place that names streams, subjects, consumers, KV buckets and the database schema.
// Everything sits under the namespace so that tests and parallel runs never share state.

export const STREAMS = ["USERS", "KIOSKS", "PAYMENTS", "TELEMETRY", "NOTIFICATIONS", "AUDIT"] as const
export type StreamKey = (typeof STREAMS)[number]

const ROOT: Record<StreamKey, string> = {
  USERS: "users",
  KIOSKS: "kiosks",
  PAYMENTS: "payments",
  TELEMETRY: "telemetry",
  NOTIFICATIONS: "notifications",
  AUDIT: "audit",
}

export interface Naming {
  readonly namespace: string
  /** JetStream stream name, e.g. `AK_PAYMENTS`. */
  stream(key: StreamKey): string
  /** Every subject the stream holds, e.g. `ak.payments.>`. */
  streamSubjects(key: StreamKey): string
  readonly subject: {
    user(userId: string): string
    kiosk(kioskId: string): string
    payment(kioskId: string, paymentId: string): string
    /** All payments of one kiosk. */
    kioskPayments(kioskId: string): string
    telemetry(kioskId: string): string
    notification(notificationId: string): string
    /** The AUDIT stream's subjects: PAYMENTS' seals, reconciliation results, reads of the audit trail, verify results. */
    audit(kind: "seals" | "reconciliations" | "access" | "verifications"): string
  }
  /** A durable consumer's name, e.g. `ak_projection_payments`. */
  consumer(kind: "projection" | "worker", name: string): string
  /** A KV bucket's name, e.g. `ak_snapshots`. */
  bucket(name: string): string
  /** The Postgres schema of the read models. */
  readonly dbSchema: string
}

export function naming(namespace: string): Naming {
  const root = (key: StreamKey) => `${namespace}.${ROOT[key]}`
  return {
    namespace,
    stream: (key) => `${namespace.toUpperCase()}_${key}`,
    streamSubjects: (key) => `${root(key)}.>`,
    subject: {
      user: (userId) => `${root("USERS")}.${userId}`,
      kiosk: (kioskId) => `${root("KIOSKS")}.${kioskId}`,
      payment: (kioskId, paymentId) => `${root("PAYMENTS")}.${kioskId}.${paymentId}`,
      kioskPayments: (kioskId) => `${root("PAYMENTS")}.${kioskId}.*`,
      telemetry: (kioskId) => `${root("TELEMETRY")}.${kioskId}`,
      notification: (notificationId) => `${root("NOTIFICATIONS")}.${notificationId}`,
      audit: (kind) => `${root("AUDIT")}.${kind}`,
    },
    consumer: (kind, name) => `${namespace}_${kind}_${name}`,
    bucket: (name) => `${namespace}_${name}`,
    dbSchema: namespace,
  }
}
