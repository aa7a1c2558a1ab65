// The notification's write side: every command on a notification (asking for it, each delivery step, an admin's
// retry) goes through the event store's one `handle`, on the notification's own subject.
import { Effect } from "effect"
import type { HandleOptions } from "../eventStore/index.ts"
import { aggregate } from "../shared/aggregate.ts"
import type { CommandContext } from "../shared/envelope.ts"
import { type NotificationCommand, notificationDecider, type NotificationRequest, type NotificationState } from "./decide.ts"

const notifications = aggregate(notificationDecider, "NOTIFICATIONS", (names, notificationId) => names.subject.notification(notificationId))

/** The notification as stored now (its state and version), e.g. before a worker steps it through an attempt. */
export const loadNotification = (notificationId: string) => notifications.load(notificationId)

/**
 * One command on a notification. A worker that holds the notification already passes it as `known` (no read
 * first); with `maxAttempts: 1` a lost race is a Conflict, and the worker looks at the record again.
 */
export const handleNotification = (
  notificationId: string,
  command: NotificationCommand,
  context: CommandContext,
  options?: HandleOptions<NotificationState>,
) => notifications.run(notificationId, command, context, options)

/** Asks for a notification; asking again for the same id is nothing to do (a redelivered trigger asks once). */
export const requestNotification = Effect.fn("requestNotification")(function* (request: NotificationRequest, context: CommandContext) {
  const handled = yield* handleNotification(request.notificationId, { type: "RequestNotification", request }, context)
  return { notificationId: request.notificationId, seq: handled.seq }
})

/** Reopens a failed (dead-letter) or unconfirmed notification for a new round of attempts. */
export const retryNotification = Effect.fn("retryNotification")(function* (notificationId: string, context: CommandContext) {
  const handled = yield* handleNotification(notificationId, { type: "RetryNotification" }, context)
  return { notificationId, seq: handled.seq }
})
