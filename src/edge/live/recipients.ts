// Whom a notification is for. Only its first event (NotificationRequested) names the user; later ones (sent,
// failed, retried) are matched to it by the notification's subject: remembered when the request passed through
// this edge, otherwise read once with a direct get of the subject's first message.
import { Effect } from "effect"
import type { EventStoreShape } from "../../commands/index.ts"
import type { LiveCommit } from "./liveCommit.ts"

export class NotificationRecipients {
  private readonly known = new Map<string, string | null>()
  private readonly store: EventStoreShape
  private readonly maxEntries: number

  constructor(options: { store: EventStoreShape; maxEntries?: number }) {
    this.store = options.store
    this.maxEntries = options.maxEntries ?? 100_000
  }

  /** Sets `commit.recipient`; returns a promise only when it has to read the store. */
  resolve(commit: LiveCommit): void | Promise<void> {
    if (commit.recipient !== undefined) return this.remember(commit.subject, commit.recipient)
    const known = this.known.get(commit.subject)
    if (known !== undefined) {
      commit.recipient = known
      return
    }
    return this.lookup(commit)
  }

  private async lookup(commit: LiveCommit): Promise<void> {
    const first = await Effect.runPromise(this.store.first("NOTIFICATIONS", commit.subject))
    const requested = first?.recorded.find((e) => e.type === "NotificationRequested")
    commit.recipient = requested === undefined ? null : (requested.data as { userId: string | null }).userId
    this.remember(commit.subject, commit.recipient)
  }

  private remember(subject: string, recipient: string | null): void {
    this.known.set(subject, recipient)
    if (this.known.size > this.maxEntries) this.known.delete(this.known.keys().next().value!)
  }
}
