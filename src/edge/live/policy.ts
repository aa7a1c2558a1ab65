// Who may see what on /ws. Admins see everything; auditors every payment and kiosk event but only their own
// notifications; operators only the payments taken while a kiosk was theirs (the event's operatorId, refunds
// included), the events of the kiosks assigned to them now, and their own notifications. Checked when a client
// subscribes and again for every event forwarded, so that a changed assignment takes effect at once.
import type { LiveCommit } from "./liveCommit.ts"
import type { KioskOwners } from "./owners.ts"
import type { NotificationRecipients } from "./recipients.ts"
import type { Topic, TopicKind } from "./topics.ts"

export const LIVE_ROLES = ["admin", "operator", "auditor"] as const
export type LiveRole = (typeof LIVE_ROLES)[number]

export interface Viewer {
  readonly userId: string
  readonly role: LiveRole
}

export const isLiveRole = (role: string): role is LiveRole => (LIVE_ROLES as ReadonlyArray<string>).includes(role)

/** Why this viewer may not subscribe to the topic, or undefined when it may. */
export async function refusal(viewer: Viewer, topic: Topic, owners: KioskOwners): Promise<string | undefined> {
  if (viewer.role !== "operator" || topic.kind !== "kiosk") return undefined
  const owner = await owners.resolve(topic.kioskId)
  return owner.operatorId === viewer.userId ? undefined : `kiosk ${topic.kioskId} is not assigned to you`
}

/** What `allows` needs to know about a message for this viewer on this kind of topic. */
export interface Needs {
  readonly owners: boolean
  readonly recipients: boolean
}

export function needsOf(viewer: Viewer, kind: TopicKind): Needs {
  return {
    owners: viewer.role === "operator" && kind === "kiosks",
    recipients: viewer.role !== "admin" && kind === "notifications",
  }
}

/** Makes sure `allows` can answer synchronously; returns a promise only when something must be loaded first. */
export function prepare(commit: LiveCommit, needs: Needs, owners: KioskOwners, recipients: NotificationRecipients): void | Promise<unknown> {
  // Only until the kiosk states are first rebuilt (a replay may come sooner); from then on every kiosk is known.
  if (needs.owners && commit.kioskId !== undefined && owners.peek(commit.kioskId) === undefined) return owners.resolve(commit.kioskId)
  // Also when the message names its recipient itself: the request is remembered for its later events.
  if (needs.recipients) return recipients.resolve(commit)
}

/** Whether this viewer may receive this message on this topic, as things stand now. */
export function allows(viewer: Viewer, kind: TopicKind, commit: LiveCommit, owners: KioskOwners): boolean {
  if (viewer.role === "admin") return true
  if (kind === "notifications") return commit.recipient === viewer.userId
  if (viewer.role === "auditor") return true
  // A payment (and each of its refunds) names the kiosk's operator when it was taken: theirs forever, no one else's.
  if (kind !== "kiosks") return commit.events.length > 0 && commit.events.every((e) => e.data.operatorId === viewer.userId)
  const operates = commit.kioskId !== undefined && owners.peek(commit.kioskId)?.operatorId === viewer.userId
  // The event that takes a kiosk away from an operator is still theirs to see.
  return operates || commit.events.some((e) =>
    (e.type === "KioskAssigned" || e.type === "KioskUnassigned") && e.data.operatorId === viewer.userId)
}
