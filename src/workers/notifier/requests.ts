// From a domain event (a PAYMENTS or KIOSKS commit) to NotificationRequested on each notification's own subject.
// Appending a request whose subject exists already is nothing to do (the decider says so), so a redelivered or
// reprocessed event asks for nothing new.
import { Effect } from "effect"
import { type CommandContext, requestNotification, type StoredCommit, systemActor } from "../../commands/index.ts"
import { Recipients } from "./recipients.ts"
import { factsNeeded, type NotificationRequest, notificationsFor, type Policy, type SourceEvent } from "./rules.ts"

/** A receipt for a payment older than this is noise (e.g. a first start against an existing history): skipped. */
export const MAX_SOURCE_AGE_MS = 24 * 3_600_000

export const requestNotificationsFor = (policy: Policy, stored: StoredCommit, now = Date.now()) =>
  Effect.gen(function* () {
    const recipients = yield* Recipients
    if (now - Date.parse(stored.commit.time) > MAX_SOURCE_AGE_MS) return [] as ReadonlyArray<NotificationRequest>
    const requested: Array<NotificationRequest> = []
    for (const event of stored.recorded) {
      const source = event as SourceEvent
      const needed = factsNeeded(source, policy)
      if (needed === undefined) continue
      // An event that names its operator (a payment) has them looked up first: when nobody would hear of it (no
      // channel they take this news on, no admin alert), the kiosk is not loaded only to name it in the message.
      const named = needed.operatorId === undefined
        ? undefined
        : { operator: needed.operatorId === null ? undefined : yield* recipients.user(needed.operatorId) }
      if (named && needed.admins === "no" && notificationsFor(source, { kiosk: undefined, operator: named.operator, admins: [] }, policy).length === 0) continue
      const kiosk = yield* recipients.kiosk(needed.kioskId)
      const kioskOperator = kiosk?.operatorId ?? null
      const operator = named ? named.operator : kioskOperator === null ? undefined : yield* recipients.user(kioskOperator)
      const wasOffline = needed.wasOffline ? yield* recipients.wasOffline(needed.kioskId, event.seq) : undefined
      const wantAdmins = needed.admins === "yes" || (needed.admins === "if-no-operator" && operator === undefined)
      const admins = wantAdmins ? yield* recipients.admins() : []
      const context: CommandContext = { actor: systemActor("notifier"), correlationId: event.correlationId, causationId: event.id }
      for (const request of notificationsFor(source, { kiosk, operator, admins, wasOffline }, policy)) {
        yield* requestNotification(request, context)
        requested.push(request)
      }
    }
    return requested as ReadonlyArray<NotificationRequest>
  })
