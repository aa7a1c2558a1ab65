// NOTIFICATIONS → notifications: what was asked for, and whether it was sent or failed after how many attempts.
import type { Transaction, UpdateObject } from "kysely"
import type { Database } from "../db.ts"
import { defineProjection, eventByEvent, flagIfClamped, ignoreUnknown, type RecordedEvent, timeClamped } from "../engine/projection.ts"

/** Changes one notification unless a later event already did (`<=`: the events of one commit share a sequence). */
async function change(trx: Transaction<Database>, event: RecordedEvent, id: string, set: UpdateObject<Database, "notifications">) {
  await trx.updateTable("notifications").set({ ...set, updated_at: event.time, last_seq: event.seq, ...flagIfClamped(event) })
    .where("notification_id", "=", id).where("last_seq", "<=", event.seq).execute()
}

export const notificationsProjection = defineProjection({
  name: "notifications",
  stream: "NOTIFICATIONS",
  tables: ["notifications"],
  apply: eventByEvent("NOTIFICATIONS", async (trx, event) => {
    switch (event.type) {
      case "NotificationRequested": {
        const { data } = event
        await trx.insertInto("notifications").values({
          notification_id: data.notificationId, channel: data.channel, user_id: data.userId, address: data.address,
          template: data.template, language: data.language, params: data.params, source_event_id: data.sourceEventId,
          status: "requested", attempts: 0, provider: null, provider_message_id: null, last_error: null, retry_at: null,
          requested_at: event.time, updated_at: event.time, last_seq: event.seq, time_clamped: timeClamped(event),
        }).onConflict((oc) => oc.column("notification_id").doNothing()).execute()
        return
      }
      case "NotificationAttemptStarted":
        return change(trx, event, event.data.notificationId, {
          attempts: event.data.attempt, provider: event.data.provider, retry_at: null,
        })
      case "NotificationHandedOver":
        return change(trx, event, event.data.notificationId, { provider_message_id: event.data.providerKey })
      case "NotificationAttemptFailed":
        return change(trx, event, event.data.notificationId, {
          attempts: event.data.attempt, last_error: event.data.reason, retry_at: event.data.retryAt,
        })
      case "NotificationSent":
        return change(trx, event, event.data.notificationId, {
          status: "sent", attempts: event.data.attempts, provider: event.data.provider,
          provider_message_id: event.data.providerMessageId, last_error: null, retry_at: null,
          confirmed: event.data.confirmed ?? true,
        })
      case "NotificationFailed":
        return change(trx, event, event.data.notificationId, {
          status: "failed", attempts: event.data.attempts, last_error: event.data.reason, retry_at: null,
        })
      case "NotificationRetryRequested":
        return change(trx, event, event.data.notificationId, { status: "requested", confirmed: true })
      default:
        return ignoreUnknown(event)
    }
  }),
})
