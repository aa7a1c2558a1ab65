// Notifications and their delivery record, newest first: what the console's outbox and delivery log show.
import { Effect } from "effect"
import { type Channel, Invalid, type Language, NotFound } from "../../commands/index.ts"
import { Db, type NotificationStatus, tryDb } from "../db.ts"
import { awaitProjection } from "../query/freshness.ts"
import { after, pageRequest, toPage, type Page } from "../query/page.ts"

const PROJECTION = "notifications"

export interface NotificationRow {
  readonly notification_id: string
  readonly channel: Channel
  readonly user_id: string | null
  readonly address: string
  readonly template: string
  readonly language: Language
  readonly params: Readonly<Record<string, string | number | null>>
  readonly source_event_id: string | null
  readonly status: NotificationStatus
  readonly attempts: number
  readonly provider: string | null
  readonly provider_message_id: string | null
  readonly last_error: string | null
  /** When a transiently failed delivery is tried again. */
  readonly retry_at: string | null
  /** False for a "sent" the provider never confirmed: an admin may retry it. */
  readonly confirmed: boolean
  readonly requested_at: string
  readonly updated_at: string
}

/** A notification in the console's list: with its recipient's username, when it went to a user. */
export interface ListedNotificationRow extends NotificationRow {
  readonly username: string | null
}

export interface ListNotificationsParams {
  readonly status?: NotificationStatus | undefined
  readonly channel?: Channel | undefined
  /** Who delivered it: "smtp", "twilio", "fcm", or "outbox" for a channel that is not configured. */
  readonly provider?: string | undefined
  readonly userId?: string | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
  /** Read-your-writes: wait until the model has applied this NOTIFICATIONS sequence. */
  readonly minSeq?: number | undefined
}

const COLUMNS = [
  "notification_id", "channel", "user_id", "address", "template", "language", "params", "source_event_id", "status",
  "attempts", "provider", "provider_message_id", "last_error", "retry_at", "confirmed", "requested_at", "updated_at",
] as const

export const listNotifications = Effect.fn("projections.listNotifications")(function* (params: ListNotificationsParams = {}) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const paging = pageRequest("-requested_at", params, { requested_at: "instant" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, limit, position } = paging

  let query = db.selectFrom("notifications as n").leftJoin("users as u", "u.user_id", "n.user_id")
    .select([...COLUMNS.map((c) => `n.${c}` as const), "u.username"])
  if (params.status !== undefined) query = query.where("n.status", "=", params.status)
  if (params.channel !== undefined) query = query.where("n.channel", "=", params.channel)
  if (params.provider !== undefined) query = query.where("n.provider", "=", params.provider)
  if (params.userId !== undefined) query = query.where("n.user_id", "=", params.userId)
  if (position !== undefined) query = query.where(after("n.requested_at", "n.notification_id", true, position))
  query = query.orderBy("n.requested_at", "desc").orderBy("n.notification_id", "desc").limit(limit + 1)
  const rows = yield* tryDb(() => query.execute())
  return toPage(rows, limit, (r): ListedNotificationRow => r, (r) => ({ key: r.requested_at, id: r.notification_id }), sort) satisfies Page<ListedNotificationRow>
})

export const getNotification = Effect.fn("projections.getNotification")(function* (
  notificationId: string,
  options: { readonly minSeq?: number | undefined } = {},
) {
  yield* awaitProjection(PROJECTION, options.minSeq)
  const { db } = yield* Db
  const row = yield* tryDb(() => db.selectFrom("notifications").select(COLUMNS).where("notification_id", "=", notificationId).executeTakeFirst())
  if (row === undefined) return yield* new NotFound({ message: `notification ${notificationId} not found` })
  return row satisfies NotificationRow
})
