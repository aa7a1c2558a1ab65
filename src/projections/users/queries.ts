// Users for the admin console and for the notifiers (who reads contact, preferences and push devices here).
import { Effect } from "effect"
import type { Kysely } from "kysely"
import { Invalid, type Language, NotFound, type NotificationPreferences, type Role } from "../../commands/index.ts"
import { Db, type Database, tryDb } from "../db.ts"
import { awaitProjection } from "../query/freshness.ts"
import { after, pageRequest, toPage, type Page } from "../query/page.ts"

const PROJECTION = "users"

export interface UserRow {
  readonly user_id: string
  readonly username: string
  readonly role: Role
  readonly display_name: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly language: Language
  readonly preferences: NotificationPreferences
  readonly active: boolean
  /** FCM registration tokens of the user's devices, oldest first. */
  readonly push_tokens: ReadonlyArray<string>
  readonly registered_at: string
  readonly updated_at: string
}

export type UserSort = "username" | "-username" | "registered_at" | "-registered_at"

export interface ListUsersParams {
  readonly role?: Role | undefined
  readonly active?: boolean | undefined
  /** Case-insensitive substring of the username, display name or email. */
  readonly search?: string | undefined
  readonly sort?: UserSort | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
  /** Read-your-writes: wait until the model has applied this USERS sequence. */
  readonly minSeq?: number | undefined
}

const USER_COLUMNS = [
  "user_id", "username", "role", "display_name", "email", "phone", "language", "preferences", "active", "registered_at", "updated_at",
] as const

type UserColumns = Omit<UserRow, "push_tokens">

async function withPushTokens(db: Kysely<Database>, rows: ReadonlyArray<UserColumns>) {
  const ids = rows.map((r) => r.user_id)
  const devices = ids.length === 0 ? [] : await db.selectFrom("user_push_devices").select(["user_id", "device_token"])
    .where("user_id", "in", ids).orderBy("added_at").orderBy("device_token").execute()
  const byUser = Map.groupBy(devices, (d) => d.user_id)
  return (row: UserColumns): UserRow => ({ ...row, push_tokens: (byUser.get(row.user_id) ?? []).map((d) => d.device_token) })
}

export const listUsers = Effect.fn("projections.listUsers")(function* (params: ListUsersParams = {}) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const paging = pageRequest(params.sort ?? "username", params, { username: "text", registered_at: "instant" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, key, descending, limit, position } = paging

  let query = db.selectFrom("users").select(USER_COLUMNS)
  if (params.role !== undefined) query = query.where("role", "=", params.role)
  if (params.active !== undefined) query = query.where("active", "=", params.active)
  if (params.search !== undefined && params.search !== "") {
    const pattern = `%${params.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) => eb.or([eb("username", "ilike", pattern), eb("display_name", "ilike", pattern), eb("email", "ilike", pattern)]))
  }
  if (position !== undefined) query = query.where(after(key, "user_id", descending, position))
  const direction = descending ? "desc" : "asc"
  query = query.orderBy(key, direction).orderBy("user_id", direction).limit(limit + 1)
  const rows = yield* tryDb(() => query.execute())
  const view = yield* tryDb(() => withPushTokens(db, rows))
  return toPage(rows, limit, view, (r) => ({ key: r[key], id: r.user_id }), sort) satisfies Page<UserRow>
})

export const getUser = Effect.fn("projections.getUser")(function* (userId: string, options: { readonly minSeq?: number | undefined } = {}) {
  yield* awaitProjection(PROJECTION, options.minSeq)
  const { db } = yield* Db
  const row = yield* tryDb(() => db.selectFrom("users").select(USER_COLUMNS).where("user_id", "=", userId).executeTakeFirst())
  if (row === undefined) return yield* new NotFound({ message: `user ${userId} not found` })
  const view = yield* tryDb(() => withPushTokens(db, [row]))
  return view(row)
})
