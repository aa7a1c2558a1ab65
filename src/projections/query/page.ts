// Keyset pagination with opaque cursors: `{ items, next_cursor }`, stable under inserts, no OFFSET scans.
import { sql, type RawBuilder } from "kysely"
import { Invalid, isStorableInstant } from "../../commands/index.ts"

export interface Page<T> {
  readonly items: ReadonlyArray<T>
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null
}

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 200

export interface Position {
  /** The sort the cursor was made for: a cursor from another sort is refused rather than misread. */
  readonly sort: string
  /** The sort key and the unique tiebreaker of the last row returned. */
  readonly key: string | number
  readonly id: string
}

/** What a sort key holds. A cursor is the client's to forge, so its key must be one Postgres can compare with the
 * column as is: a text without NUL, a safe integer, a real instant or day. */
export type KeyKind = "text" | "integer" | "instant" | "day"

const isText = (value: unknown): value is string => typeof value === "string" && !value.includes("\u0000")
const KEY_CHECKS: Record<KeyKind, (key: unknown) => boolean> = {
  text: isText,
  integer: (key) => Number.isSafeInteger(key),
  instant: (key) => typeof key === "string" && isStorableInstant(key),
  day: (key) => typeof key === "string" && /^\d{4}-\d\d-\d\d$/u.test(key) && isStorableInstant(`${key}T00:00:00Z`),
}

export const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify([p.sort, p.key, p.id])).toString("base64url")

export function decodeCursor(cursor: string, sort: string, kind: KeyKind): Position | Invalid {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === sort && KEY_CHECKS[kind](parsed[1]) && isText(parsed[2])) {
      return { sort, key: parsed[1] as string | number, id: parsed[2] }
    }
  } catch {
    // fall through
  }
  return new Invalid({ message: "cursor is not valid for this list and sort", field: { in: "querystring", name: "cursor" } })
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT
  return Math.max(1, Math.min(MAX_LIMIT, Math.trunc(limit)))
}

/** What a list query needs from its paging parameters: the sort split into column and direction, the page size,
 * and where the last page ended (a cursor made for another sort is refused). */
export interface PageRequest<Key extends string> {
  readonly sort: string
  readonly key: Key
  readonly descending: boolean
  readonly limit: number
  readonly position: Position | undefined
}

type KeyOf<Sort extends string> = Sort extends `-${infer Key}` ? Key : Sort

export function pageRequest<Sort extends string>(
  sort: Sort,
  params: { readonly cursor?: string | undefined; readonly limit?: number | undefined },
  kinds: Readonly<Record<KeyOf<Sort>, KeyKind>>,
): PageRequest<KeyOf<Sort>> | Invalid {
  const descending = sort.startsWith("-")
  const key = (descending ? sort.slice(1) : sort) as KeyOf<Sort>
  const position = params.cursor === undefined ? undefined : decodeCursor(params.cursor, sort, kinds[key])
  if (position instanceof Invalid) return position
  return { sort, key, descending, limit: clampLimit(params.limit), position }
}

/** `(key, id) < (k, i)` for descending order, `>` for ascending: the rows after the cursor. */
export function after(keyColumn: string, idColumn: string, descending: boolean, position: Position): RawBuilder<boolean> {
  const op = sql.raw(descending ? "<" : ">")
  return sql<boolean>`(${sql.ref(keyColumn)}, ${sql.ref(idColumn)}) ${op} (${position.key}, ${position.id})`
}

/** Takes one row more than asked to know whether another page exists. */
export function toPage<Row, T>(rows: ReadonlyArray<Row>, limit: number, view: (row: Row) => T,
  position: (row: Row) => Omit<Position, "sort">, sort: string): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map(view),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor({ sort, ...position(last) }) : null,
  }
}
