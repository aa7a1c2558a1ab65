// What the edge (and the CLI) may ask of notifications: an admin's test email, and retrying a dead letter.
import { Effect } from "effect"
import { type CommandContext, EventStore, notificationDecider } from "../../commands/index.ts"
import { newId } from "../../platform/index.ts"
import { testEmail } from "./rules.ts"

const target = (store: EventStore["Service"], notificationId: string) =>
  ({ stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) })

export interface TestEmailInput {
  readonly to: string
  /** The same request id asks for the same email once (e.g. the HTTP Idempotency-Key); a fresh one by default. */
  readonly requestId?: string | undefined
  /** Named in the email's text, e.g. the admin's username. */
  readonly requestedBy: string
  readonly language?: "en" | "es" | undefined
}

/** Asks for the test email; the notifier delivers it (or writes it to the outbox when SMTP is not configured). */
export const requestTestEmail = Effect.fn("requestTestEmail")(function* (input: TestEmailInput, context: CommandContext) {
  const store = yield* EventStore
  const request = testEmail({ requestId: input.requestId ?? newId("req"), to: input.to, requestedBy: input.requestedBy, language: input.language })
  const handled = yield* store.handle(notificationDecider, target(store, request.notificationId), { type: "RequestNotification", request }, context)
  return { notificationId: request.notificationId, seq: handled.seq }
})

/** Reopens a failed (dead-letter) or unconfirmed notification for a new round of attempts. */
export const retryNotification = Effect.fn("retryNotification")(function* (notificationId: string, context: CommandContext) {
  const store = yield* EventStore
  const handled = yield* store.handle(notificationDecider, target(store, notificationId), { type: "RetryNotification" }, context)
  return { notificationId, seq: handled.seq }
})
