// The contract's shapes as the console reads them, all taken from the types generated from the edge's OpenAPI
// document (./generated, `npm run gen:api`): a field the edge stops sending fails the console's typecheck.
import type * as Api from "./generated/types.gen.ts"

export type User = Api.GetAuthMeResponse
export type Role = User["role"]
export type Contact = User["contact"]
export type Language = Contact["language"]
export type NotificationPreferences = Contact["preferences"]
/** Per kind of news (receipts, refunds, large payments, kiosk status), the channels it goes to. */
export type NotificationKinds = NotificationPreferences["kinds"]
export type Channel = NotificationMessage["channel"]
export type Session = Api.PostAuthLoginResponse
export type UserQuery = NonNullable<Api.GetAuthUsersData["query"]>

/** A list page: `next_cursor` is null on the last page; `seq` (when sent) is the stream position it reflects. */
export interface Page<T> { items: T[]; next_cursor: string | null; seq?: number }
export interface PageQuery { limit?: number; cursor?: string | undefined; min_seq?: number | undefined }

/** A kiosk as the read model knows it (lists and the kiosk page). */
export type Kiosk = Api.GetKiosksByIdResponse
/** Whether it talks to us: "unknown" until its first heartbeat. */
export type Connectivity = Kiosk["connectivity"]
export type KioskQuery = NonNullable<Api.GetKiosksData["query"]>
export type KioskSort = NonNullable<KioskQuery["sort"]>
export type KioskStatusFilter = NonNullable<KioskQuery["status"]>
export type KioskSummary = Api.GetKiosksSummaryResponse
/** Offline periods over a range of days, clipped to it, and the share of it online. */
export type KioskUptime = Api.GetKiosksByIdUptimeResponse
export type RegisteredKiosk = Api.PostKiosksResponse
export type RotatedCredential = Api.PostKiosksByIdCredentialsResponse
/** A command's answer: the kiosk as the write side knows it (no read-model fields), and the event's seq. */
export type KioskChange = Api.PatchKiosksByIdResponse

/** A payment as lists and the payment page show it, with its kiosk and operator by name and its refunds. */
export type Payment = Api.GetPaymentsResponse["items"][number]
export type PaymentStatus = Payment["status"]
export type PaymentQuery = NonNullable<Api.GetPaymentsData["query"]>
export type PaymentFilter = Omit<PaymentQuery, "limit" | "cursor" | "sort">
export type PaymentChange = Api.PostPaymentsByIdRefundResponse
export type PaymentDetail = Api.GetPaymentsByIdResponse
export type PaymentHistoryEntry = PaymentDetail["history"][number]
export type PaymentTotals = Api.GetPaymentsTotalsResponse["items"][number]

/** Where the audit trail stands: the last seal, reconciliation and verify (each null until there is one). */
export type AuditStatus = Api.GetAuditStatusResponse
/** Replayed PAYMENTS against the read model per kiosk, currency and day, over business days `from`…`to`. */
export type Reconciliation = Api.GetAuditReconciliationResponse
export type ReconciliationQuery = NonNullable<Api.GetAuditReconciliationData["query"]>

/** Net sales of one UTC day in one currency, in minor units. */
export type DailySales = Api.GetSalesDailyResponse["items"][number]
export type SalesQuery = Api.GetSalesDailyData["query"]

/** GET /ai/predict: one forecast per currency with enough history, and the currencies without. */
export type Prediction = Api.GetAiPredictResponse
export type PredictQuery = NonNullable<Api.GetAiPredictData["query"]>
export type CurrencyForecast = Prediction["forecasts"][number]
export type ForecastMethod = CurrencyForecast["method"]
/** GET /ai/recommendations: a kind, a reason in English and Spanish, the numbers behind it. */
export type Recommendation = Api.GetAiRecommendationsResponse["items"][number]
export type RecommendationKind = Recommendation["kind"]
export type RecommendationQuery = NonNullable<Api.GetAiRecommendationsData["query"]>

export type NotificationMessage = Api.GetNotifyMessagesResponse["items"][number]
export type NotificationStatus = NonNullable<NonNullable<Api.GetNotifyMessagesData["query"]>["status"]>
/** A message "sent" by this provider went to the outbox of a channel that is not configured. */
export const OUTBOX_PROVIDER = "outbox"

/** An event as the WebSocket forwards it (the envelope's fields around the domain event). */
export interface LiveEvent<Data = Record<string, unknown>> {
  id: string
  type: string
  version?: number
  data: Data
  time: string
}
export interface PaymentRecordedData {
  paymentId: string; kioskId: string; amount: number; currency: Payment["currency"]; occurredAt: string; operatorId: string | null
}
export interface PaymentRefundedData {
  paymentId: string; kioskId: string; refundId: string; amount: number; currency: Payment["currency"]; reason: string
  operatorId: string | null
}
