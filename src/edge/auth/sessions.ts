// Sessions: rotating refresh tokens grouped in families, and per-user epochs that revoke what was issued before.
//
// Kept in a NATS KV bucket under the namespace rather than in Postgres: Postgres holds read models that may be
// dropped and rebuilt from the streams at any time, while sessions are write-side state that must survive that;
// KV gives compare-and-set (rotation races, reuse detection) and the bucket's max age expires old tokens for free.
//
// Keys:  t.<sha256(token)>  one refresh token: its family, user, expiry and whether it was already used
//        f.<familyId>       one login: revoked or not (logout, reuse detected)
//        u.<userId>         epochs: tokens of an older access epoch (role change) or families of an older refresh
//                           epoch (deactivation) are no longer honoured
//
// Every edge watches f.* and u.* (`watchRevocations`), so an open /ws session ends as soon as its login does.
import { createHash } from "node:crypto"
import { StorageType } from "@nats-io/jetstream"
import { type KV, type KvEntry, type Kvm, KvWatchInclude } from "@nats-io/kv"
import { ensureBucket, newId, newSecret } from "../../platform/index.ts"
import { Unauthorized } from "../../commands/index.ts"

export const DEFAULT_REFRESH_TTL_MS = 14 * 24 * 3_600_000

interface TokenRecord {
  readonly familyId: string
  readonly userId: string
  readonly expiresAt: number
  readonly usedAt: number | null
}
interface FamilyRecord {
  readonly userId: string
  readonly createdAt: number
  readonly refreshEpoch: number
  readonly revokedAt: number | null
  readonly reason: string | null
}
interface Epochs {
  readonly access: number
  readonly refresh: number
}

/** What an access token carries so that each request can check it is still honoured. */
export interface SessionClaims {
  readonly sub: string
  /** The family (login) the token belongs to. */
  readonly sid: string
  /** The user's access epoch when the token was issued. */
  readonly ep: number
}

export interface Issued {
  readonly refreshToken: string
  readonly claims: SessionClaims
}

/** A session store change that takes rights away: what /ws follows to end live sessions at once. */
export type Revocation =
  /** One login ended (logout, or a refresh token reused): every token of that session is dead. */
  | { readonly kind: "session"; readonly userId: string; readonly sessionId: string; readonly reason: string }
  /** The user's access epoch moved (role change, deactivation): tokens with an older `ep` are dead. */
  | { readonly kind: "epoch"; readonly userId: string; readonly accessEpoch: number }

export interface SessionStore {
  /** A new login: a new family and its first refresh token. */
  start(userId: string): Promise<Issued>
  /** Trades a refresh token for the next one of its family; a token used twice revokes the whole family. */
  rotate(refreshToken: string): Promise<Issued>
  /** Logout: the token's family is revoked (refresh and access tokens alike). Unknown tokens are ignored. */
  end(refreshToken: string): Promise<void>
  /** Role change ("access": tokens must be refreshed) or deactivation ("all": every session ends). */
  revokeUser(userId: string, scope: "access" | "all"): Promise<void>
  /** Throws Unauthorized when the access token's family was revoked or the user's epoch moved past it. */
  assertCurrent(claims: SessionClaims): Promise<void>
  /**
   * Calls `listener` for every revocation from now on, until `signal` aborts. Resolves once the watch is in place,
   * so a token checked after that cannot be revoked unnoticed.
   */
  watchRevocations(listener: (revocation: Revocation) => void, signal: AbortSignal): Promise<void>
}

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex")
const keys = {
  token: (token: string) => `t.${sha256(token)}`,
  family: (familyId: string) => `f.${familyId}`,
  user: (userId: string) => `u.${userId}`,
}
const live = (entry: KvEntry | null): entry is KvEntry => entry !== null && entry.operation === "PUT"
const encode = (value: unknown) => JSON.stringify(value)

const invalid = () => new Unauthorized({ message: "the refresh token is not valid" })
const revoked = () => new Unauthorized({ message: "the session was ended; log in again" })

export async function openSessionStore(options: {
  readonly kvm: Kvm
  readonly bucket: string
  readonly refreshTtlMs?: number
  /** STREAM_REPLICAS. Default 1. */
  readonly replicas?: number
}): Promise<SessionStore> {
  const ttl = options.refreshTtlMs ?? DEFAULT_REFRESH_TTL_MS
  const kv: KV = await ensureBucket(options.kvm, options.bucket,
    { history: 1, ttl, storage: StorageType.File, replicas: options.replicas ?? 1 })

  const epochs = async (userId: string): Promise<Epochs> => {
    const entry = await kv.get(keys.user(userId))
    return live(entry) ? entry.json<Epochs>() : { access: 0, refresh: 0 }
  }

  const issue = async (userId: string, familyId: string): Promise<string> => {
    const refreshToken = `rt_${newSecret(32)}`
    const record: TokenRecord = { familyId, userId, expiresAt: Date.now() + ttl, usedAt: null }
    await kv.create(keys.token(refreshToken), encode(record))
    return refreshToken
  }

  const revokeFamily = async (familyId: string, reason: string) => {
    const entry = await kv.get(keys.family(familyId))
    if (!live(entry)) return
    const family = entry.json<FamilyRecord>()
    if (family.revokedAt !== null) return
    await kv.put(keys.family(familyId), encode({ ...family, revokedAt: Date.now(), reason } satisfies FamilyRecord))
  }

  return {
    async start(userId) {
      const [current, familyId] = [await epochs(userId), newId("ses")]
      const family: FamilyRecord = { userId, createdAt: Date.now(), refreshEpoch: current.refresh, revokedAt: null, reason: null }
      await kv.create(keys.family(familyId), encode(family))
      return { refreshToken: await issue(userId, familyId), claims: { sub: userId, sid: familyId, ep: current.access } }
    },

    async rotate(refreshToken) {
      const entry = await kv.get(keys.token(refreshToken))
      if (!live(entry)) throw invalid()
      const token = entry.json<TokenRecord>()
      if (token.expiresAt <= Date.now()) throw invalid()
      const [familyEntry, current] = await Promise.all([kv.get(keys.family(token.familyId)), epochs(token.userId)])
      if (!live(familyEntry)) throw revoked()
      const family = familyEntry.json<FamilyRecord>()
      if (family.revokedAt !== null || family.refreshEpoch < current.refresh) throw revoked()
      if (token.usedAt !== null) {
        // A used token presented again: either the client or a thief holds a copy. End the family for both.
        await revokeFamily(token.familyId, "refresh token reused")
        throw revoked()
      }
      try {
        await kv.update(keys.token(refreshToken), encode({ ...token, usedAt: Date.now() } satisfies TokenRecord), entry.revision)
        // Rewriting the family restarts its age, so a session in use outlives the bucket's max age;
        // the revision check loses to a concurrent revocation instead of undoing it.
        await kv.update(keys.family(token.familyId), encode(family), familyEntry.revision)
      } catch {
        // Someone else used this token (or revoked the family) between our read and our write.
        await revokeFamily(token.familyId, "refresh token reused")
        throw revoked()
      }
      return {
        refreshToken: await issue(token.userId, token.familyId),
        claims: { sub: token.userId, sid: token.familyId, ep: current.access },
      }
    },

    async end(refreshToken) {
      const entry = await kv.get(keys.token(refreshToken))
      if (live(entry)) await revokeFamily(entry.json<TokenRecord>().familyId, "logout")
    },

    async revokeUser(userId, scope) {
      // Compare-and-set loop: two admins acting at once must both move the epoch.
      for (;;) {
        const entry = await kv.get(keys.user(userId))
        const current = live(entry) ? entry.json<Epochs>() : { access: 0, refresh: 0 }
        const next: Epochs = { access: current.access + 1, refresh: scope === "all" ? current.refresh + 1 : current.refresh }
        try {
          if (entry === null) await kv.create(keys.user(userId), encode(next))
          else await kv.update(keys.user(userId), encode(next), entry.revision)
          return
        } catch (error) {
          if (!isWrongRevision(error)) throw error
        }
      }
    },

    async assertCurrent(claims) {
      const [familyEntry, current] = await Promise.all([kv.get(keys.family(claims.sid)), epochs(claims.sub)])
      if (!live(familyEntry)) throw revoked()
      const family = familyEntry.json<FamilyRecord>()
      if (family.userId !== claims.sub || family.revokedAt !== null) throw revoked()
      if (family.refreshEpoch < current.refresh || claims.ep < current.access) throw revoked()
    },

    async watchRevocations(listener, signal) {
      // Two watches (a 2.9 server takes one filter per consumer): ended logins and moved epochs.
      await Promise.all([
        follow(kv, "f.*", signal, (entry) => {
          const family = entry.json<FamilyRecord>()
          if (family.revokedAt !== null) {
            listener({ kind: "session", userId: family.userId, sessionId: entry.key.slice(2), reason: family.reason ?? "ended" })
          }
        }),
        follow(kv, "u.*", signal, (entry) => {
          listener({ kind: "epoch", userId: entry.key.slice(2), accessEpoch: entry.json<Epochs>().access })
        }),
      ])
    },
  }
}

const WATCH_RETRY_MS = 500

/**
 * Follows the updates of `key` from now on; after an interruption it resumes after the last revision it saw, so no
 * revocation is missed. Resolves once the first watch is in place.
 */
async function follow(kv: KV, key: string, signal: AbortSignal, onPut: (entry: KvEntry) => void): Promise<void> {
  let resumeFrom = 0
  const open = () => kv.watch({ key, include: KvWatchInclude.UpdatesOnly, ignoreDeletes: true, ...(resumeFrom > 0 ? { resumeFromRevision: resumeFrom } : {}) })
  const first = await open()
  void (async () => {
    for (let watch: Awaited<ReturnType<typeof open>> | undefined = first; watch !== undefined; watch = await reopen()) {
      const stop = () => watch!.stop()
      if (signal.aborted) return stop()
      signal.addEventListener("abort", stop, { once: true })
      try {
        for await (const entry of watch) {
          resumeFrom = entry.revision + 1
          if (entry.operation === "PUT") onPut(entry)
        }
      } catch {
        // The watch broke (connection lost, consumer gone): it is opened again after its last revision.
      } finally {
        signal.removeEventListener("abort", stop)
      }
    }
  })()

  async function reopen() {
    while (!signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, WATCH_RETRY_MS))
      if (signal.aborted) break
      try {
        return await open()
      } catch {
        // Still unreachable: wait and try again.
      }
    }
    return undefined
  }
}

// KV's create/update report a lost compare-and-set as a JetStream API error "wrong last sequence" (10071).
function isWrongRevision(error: unknown): boolean {
  const code = (error as { code?: unknown; api_error?: { err_code?: unknown } }) ?? {}
  return code.code === 10071 || code.api_error?.err_code === 10071 || /wrong last sequence/i.test(String(error))
}
