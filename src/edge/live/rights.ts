// Rights are live: a socket loses what its user lost within moments, not when its token expires. Each edge follows
// the USERS stream (deactivations, role changes) from its end, and the session store's revocations (a logout, a
// reused refresh token, a moved access epoch). Either one ends the matching live sessions (connection.ts, `lose`).
import type { FastifyBaseLogger } from "fastify"
import type { EventStoreShape } from "../../commands/index.ts"
import { StreamFeed } from "./feed.ts"
import type { LiveCommit } from "./liveCommit.ts"

/** Something that took rights away from a user. */
export type RightsLoss =
  /** One login ended: every token of that session is dead. */
  | { readonly kind: "session"; readonly userId: string; readonly sessionId: string }
  /** The user's access epoch moved: tokens issued before it are dead. */
  | { readonly kind: "epoch"; readonly userId: string; readonly accessEpoch: number }
  | { readonly kind: "deactivated"; readonly userId: string }
  /** The user's role is now `role`: a session opened with another role is over. */
  | { readonly kind: "role"; readonly userId: string; readonly role: string }

/**
 * Session revocations from now on, until `signal` aborts; resolves once it follows them (the edge wires the
 * session store's KV watch here). Without one, only USERS is followed.
 */
export type RevocationSource = (listener: (loss: RightsLoss) => void, signal: AbortSignal) => Promise<void>

/** How long a loss is remembered for connections whose token was being checked when it arrived. */
const REMEMBER_MS = 60_000
const REMEMBER_MAX = 10_000

export class LiveRights {
  private readonly users: StreamFeed
  private readonly source: RevocationSource | undefined
  private readonly apply: (loss: RightsLoss) => void
  private readonly stopped = new AbortController()
  private watching: Promise<void> | undefined
  private count = 0
  private recent: Array<{ readonly mark: number; readonly at: number; readonly loss: RightsLoss }> = []

  constructor(options: {
    readonly store: EventStoreShape
    readonly log: FastifyBaseLogger
    readonly source?: RevocationSource | undefined
    /** Ends the live sessions the loss concerns. */
    readonly apply: (loss: RightsLoss) => void
  }) {
    this.source = options.source
    this.apply = options.apply
    this.users = new StreamFeed({ stream: "USERS", store: options.store, log: options.log, prepare: (commit) => this.fromUsers(commit) })
  }

  /**
   * Resolves once USERS and the revocations are followed: a token checked after this cannot lose its rights
   * unnoticed (what arrives while it is being checked is caught by `since`).
   */
  async following(): Promise<void> {
    const source = this.source
    if (source !== undefined) {
      this.watching ??= source(this.notice, this.stopped.signal).catch((error: unknown) => {
        this.watching = undefined
        throw error
      })
    }
    await Promise.all([this.users.start(), this.watching])
  }

  /** A position in the sequence of losses: take it before checking a token. */
  mark(): number {
    return this.count
  }

  /** The losses noticed after `mark` (at most a minute ago), for a connection whose token was checked meanwhile. */
  since(mark: number): ReadonlyArray<RightsLoss> {
    return this.recent.filter((r) => r.mark > mark).map((r) => r.loss)
  }

  stop(): void {
    this.stopped.abort()
    this.users.stop()
  }

  private readonly notice = (loss: RightsLoss): void => {
    const now = Date.now()
    this.count++
    this.recent.push({ mark: this.count, at: now, loss })
    // The entry just added is always kept, so the index is found.
    const keepFrom = this.recent.findIndex((r) => r.at > now - REMEMBER_MS)
    this.recent = this.recent.slice(Math.max(keepFrom, this.recent.length - REMEMBER_MAX))
    this.apply(loss)
  }

  private fromUsers(commit: LiveCommit): void {
    for (const event of commit.events) {
      const userId = event.data.userId
      if (typeof userId !== "string") continue
      if (event.type === "UserDeactivated") this.notice({ kind: "deactivated", userId })
      else if (event.type === "UserRoleChanged") this.notice({ kind: "role", userId, role: String(event.data.role) })
    }
  }
}
