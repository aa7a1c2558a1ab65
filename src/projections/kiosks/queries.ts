// Kiosks as the console lists them, with their latest heartbeat. Operators see only kiosks assigned to them.
import { Effect } from "effect"
import { type Kysely, sql } from "kysely"
import { Invalid, NotFound } from "../../commands/index.ts"
import { Db, type Database, type KioskStatus, tryDb } from "../db.ts"
import { awaitProjection } from "../query/freshness.ts"
import { after, pageRequest, toPage, type Page } from "../query/page.ts"
import type { Scope } from "../query/scope.ts"
import { atCheckpoint } from "../query/snapshot.ts"
import { likePattern } from "../payments/filter.ts"

const PROJECTION = "kiosks"

export interface KioskRow {
  readonly kiosk_id: string
  readonly code: string
  readonly name: string
  readonly location: string
  readonly assignee_id: string | null
  readonly status: KioskStatus
  /** The latest of its last heartbeat, its last online/offline transition and its newest payment; null if never seen. */
  readonly last_seen_at: string | null
  readonly app_version: string | null
  /** The assigned operator's username (users read model); null when unassigned. */
  readonly operator_name: string | null
  readonly device_status: Readonly<Record<string, string | number | boolean>> | null
  readonly credential_version: number
  readonly registered_at: string
  readonly updated_at: string
}

export type KioskSort = "name" | "-name" | "code" | "-code" | "registered_at" | "-registered_at"

export interface ListKiosksParams {
  readonly scope: Scope
  readonly status?: KioskStatus | undefined
  /** An operator's id, or null for kiosks nobody operates. */
  readonly assigneeId?: string | null | undefined
  /** Case-insensitive substring of the location. */
  readonly location?: string | undefined
  /** Case-insensitive substring of the code, name or location. */
  readonly search?: string | undefined
  readonly sort?: KioskSort | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
  /** Read-your-writes: wait until the model has applied this KIOSKS sequence. */
  readonly minSeq?: number | undefined
}

function kioskQuery(db: Kysely<Database>, scope: Scope) {
  let query = db.selectFrom("kiosks")
    .leftJoin("kiosk_heartbeats", "kiosk_heartbeats.kiosk_id", "kiosks.kiosk_id")
    .leftJoin("users", "users.user_id", "kiosks.assignee_id")
    .select([
      "kiosks.kiosk_id", "kiosks.code", "kiosks.name", "kiosks.location", "kiosks.assignee_id", "kiosks.status",
      "kiosks.credential_version", "kiosks.registered_at", "kiosks.updated_at",
      "kiosk_heartbeats.app_version", "kiosk_heartbeats.device_status", "users.username as operator_name",
      // A payment the kiosk took also shows it was up then (its clock, bounded by the write side): a kiosk selling
      // without heartbeats is not "never seen". The newest one is one index probe (kiosk, occurred_at desc).
      sql<string | null>`greatest(kiosks.last_seen_at, kiosk_heartbeats.last_seen_at,
        (select p.occurred_at from payments p where p.kiosk_id = kiosks.kiosk_id order by p.occurred_at desc limit 1))`.as("last_seen_at"),
    ])
  if (scope !== "all") query = query.where("kiosks.assignee_id", "=", scope.operatorId)
  return query
}

export const listKiosks = Effect.fn("projections.listKiosks")(function* (params: ListKiosksParams) {
  yield* awaitProjection(PROJECTION, params.minSeq)
  const { db } = yield* Db
  const paging = pageRequest(params.sort ?? "name", params, { name: "text", code: "text", registered_at: "instant" })
  if (paging instanceof Invalid) return yield* paging
  const { sort, key, descending, limit, position } = paging

  let query = kioskQuery(db, params.scope)
  if (params.status !== undefined) query = query.where("kiosks.status", "=", params.status)
  if (params.assigneeId === null) query = query.where("kiosks.assignee_id", "is", null)
  else if (params.assigneeId !== undefined) query = query.where("kiosks.assignee_id", "=", params.assigneeId)
  if (params.location !== undefined && params.location !== "") query = query.where("kiosks.location", "ilike", likePattern(params.location))
  if (params.search !== undefined && params.search !== "") {
    const pattern = likePattern(params.search)
    query = query.where((eb) => eb.or([
      eb("kiosks.code", "ilike", pattern), eb("kiosks.name", "ilike", pattern), eb("kiosks.location", "ilike", pattern),
    ]))
  }
  if (position !== undefined) query = query.where(after(`kiosks.${key}`, "kiosks.kiosk_id", descending, position))
  const direction = descending ? "desc" : "asc"
  query = query.orderBy(`kiosks.${key}`, direction).orderBy("kiosks.kiosk_id", direction).limit(limit + 1)
  // The page and the KIOSKS position it reflects, read together: the console resumes /ws from that `seq`.
  const { result: rows, seq } = yield* tryDb(() => atCheckpoint(db, PROJECTION, async (trx) => (await trx.executeQuery(query)).rows))
  const page: Page<KioskRow> = toPage(rows, limit, (r): KioskRow => r, (r) => ({ key: r[key], id: r.kiosk_id }), sort)
  return { ...page, seq }
})

export interface KioskSummary {
  /** Kiosks in service (decommissioned ones are not counted). */
  readonly total: number
  readonly online: number
  readonly offline: number
  /** In service but not judged yet: no heartbeat since it was registered. */
  readonly unknown: number
}

/** How many kiosks are in service, and how many of them are up: the dashboard's tile. */
export const kioskSummary = Effect.fn("projections.kioskSummary")(function* (options: { readonly scope: Scope; readonly minSeq?: number | undefined }) {
  yield* awaitProjection(PROJECTION, options.minSeq)
  const { db } = yield* Db
  let query = db.selectFrom("kiosks")
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere("status", "!=", "decommissioned").as("total"),
      eb.fn.countAll<string>().filterWhere("status", "=", "online").as("online"),
      eb.fn.countAll<string>().filterWhere("status", "=", "offline").as("offline"),
      eb.fn.countAll<string>().filterWhere("status", "=", "unknown").as("unknown"),
    ])
  if (options.scope !== "all") query = query.where("assignee_id", "=", options.scope.operatorId)
  const row = yield* tryDb(() => query.executeTakeFirstOrThrow())
  return { total: Number(row.total), online: Number(row.online), offline: Number(row.offline), unknown: Number(row.unknown) } satisfies KioskSummary
})

export const getKiosk = Effect.fn("projections.getKiosk")(function* (
  kioskId: string,
  options: { readonly scope: Scope; readonly minSeq?: number | undefined },
) {
  yield* awaitProjection(PROJECTION, options.minSeq)
  const { db } = yield* Db
  const row = yield* tryDb(() => kioskQuery(db, options.scope).where("kiosks.kiosk_id", "=", kioskId).executeTakeFirst())
  if (row === undefined) return yield* new NotFound({ message: `kiosk ${kioskId} not found` })
  return row satisfies KioskRow
})
