// What the read models can store, and how an old event's values are brought within it. The log is forever: an
// event appended before the write side refused NUL, lone surrogates or year 0 must still reach every read model.
// The mapping happens once, where a stored message enters a projection (recorded.ts), never in each projector.
import { SchemaAST } from "effect"
import { DomainEvent, EARLIEST_INSTANT, realInstantMs, Timestamp } from "../../commands/index.ts"

export const REPLACEMENT = "\uFFFD"

/**
 * The instants the read models hold: from the earliest the business knows (nothing in this system happened
 * before it; list bounds start there too) to the last one with a four-digit year, which is as far as our
 * Timestamp and most readers go. Postgres itself refuses year 0.
 */
export const STORED_INSTANTS = { min: EARLIEST_INSTANT, max: "9999-12-31T23:59:59.999Z" } as const
const MIN_MS = Date.parse(STORED_INSTANTS.min)
const MAX_MS = Date.parse(STORED_INSTANTS.max)

/** NUL (Postgres text refuses it) and lone surrogates (jsonb refuses their escapes) become U+FFFD. */
export const storableText = (text: string): string => text.toWellFormed().replaceAll("\0", REPLACEMENT)

/** An ISO 8601 UTC instant, with the expanded years (±YYYYYY) and five-digit years that old writers produced. */
const INSTANT_LIKE = /^([+-]?\d{4,6})-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/u

export interface StorableInstant {
  readonly value: string
  /** The stored instant is not the one the event holds: outside STORED_INSTANTS, or no real moment. */
  readonly clamped: boolean
}

/**
 * The instant itself when it names a real moment inside STORED_INSTANTS. Otherwise the nearest end of the range,
 * or, for a date that names no moment at all (month 13, 25 o'clock), `storedAt`: when the server stored the message.
 */
export function storableInstant(value: string, storedAt: () => string): StorableInstant {
  const real = realInstantMs(value)
  if (real !== undefined && real >= MIN_MS && real <= MAX_MS) return { value, clamped: false }
  // Five-digit years don't parse; 30 February parses as 2 March, and is kept so (flagged); month 13 doesn't.
  if (Number(INSTANT_LIKE.exec(value)?.[1]) > 9999) return { value: STORED_INSTANTS.max, clamped: true }
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return { value: storableInstant(storedAt(), () => STORED_INSTANTS.min).value, clamped: true }
  return { value: new Date(Math.min(Math.max(ms, MIN_MS), MAX_MS)).toISOString(), clamped: true }
}

type Path = ReadonlyArray<string>

/** Where each event type keeps its instants (its Timestamp fields), read from the catalogue's schemas once. */
export const INSTANT_PATHS: ReadonlyMap<string, ReadonlyArray<Path>> = (() => {
  const paths = (ast: SchemaAST.AST, at: Path): Array<Path> => {
    if (ast === Timestamp.ast) return [at]
    if (SchemaAST.isObjects(ast)) return ast.propertySignatures.flatMap((p) => paths(p.type, [...at, String(p.name)]))
    if (SchemaAST.isUnion(ast)) return ast.types.flatMap((t) => paths(t, at))
    return []
  }
  const byType = new Map<string, ReadonlyArray<Path>>()
  const visit = (ast: SchemaAST.AST) => {
    if (SchemaAST.isUnion(ast)) return ast.types.forEach(visit)
    if (!SchemaAST.isObjects(ast)) return
    const type = ast.propertySignatures.find((p) => p.name === "type")?.type
    const data = ast.propertySignatures.find((p) => p.name === "data")?.type
    if (type !== undefined && SchemaAST.isLiteral(type) && data !== undefined) byType.set(String(type.literal), paths(data, []))
  }
  visit(DomainEvent.ast)
  return byType
})()

export interface StorableCommit {
  /** The commit's JSON, mapped (the same string when nothing needed it). */
  readonly text: string
  /** Which of its events had an instant clamped: "all" when it was the commit's own time. */
  readonly clamped: ReadonlySet<number> | "all"
}

const NONE: ReadonlySet<number> = new Set()
/** JSON can only carry NUL and lone surrogates as escapes, so their absence is cheap to see. */
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/iu
const QUOTED_INSTANT = /"([+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/gu

/**
 * The commit (the JSON of one stored message) with every string storable and every instant field inside
 * STORED_INSTANTS. Most messages need nothing, and a scan of the text says so without parsing it; anything
 * that isn't a commit is returned as is, for the decoder to refuse.
 */
export function storableCommit(text: string, storedAt: () => string): StorableCommit {
  const suspectText = SUSPECT_ESCAPE.test(text)
  if (!suspectText && !hasStrayInstant(text)) return { text, clamped: NONE }
  let commit: unknown
  try {
    commit = JSON.parse(text)
  } catch {
    return { text, clamped: NONE }
  }
  if (suspectText) commit = deepText(commit)
  if (!isRecord(commit)) return { text, clamped: NONE }
  let clamped: Set<number> | "all" = new Set()
  if (typeof commit.time === "string" && INSTANT_LIKE.test(commit.time)) {
    const time = storableInstant(commit.time, storedAt)
    commit.time = time.value
    if (time.clamped) clamped = "all"
  }
  if (Array.isArray(commit.events)) {
    commit.events.forEach((event: unknown, index) => {
      if (!isRecord(event) || typeof event.type !== "string") return
      for (const path of INSTANT_PATHS.get(event.type) ?? []) {
        if (clampAt(event, ["data", ...path], storedAt) && clamped !== "all") clamped.add(index)
      }
    })
  }
  return { text: JSON.stringify(commit), clamped }
}

/** A plain instant from 2000 on, with a day every month has: real and in range, as a regex alone can tell. */
const PLAIN_INSTANT = /^[2-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/u

/** Whether storableCommit would map this value at an instant field. */
const needsMapping = (value: unknown): boolean => typeof value === "string" && INSTANT_LIKE.test(value) &&
  !PLAIN_INSTANT.test(value) && storableInstant(value, () => STORED_INSTANTS.min).clamped

/**
 * The commit parsed, when storableCommit would leave it as it is: no suspect escape, and every instant field
 * (the commit's time, each event's Timestamps) already storable. One JSON.parse, where the common case would
 * otherwise be a scan of the text for instants and a parse by the decoder. Undefined when it needs mapping (or
 * isn't JSON): then storableCommit and the text decoder, as before.
 */
export function parsedIfStorable(text: string): unknown {
  if (SUSPECT_ESCAPE.test(text)) return undefined
  let commit: unknown
  try {
    commit = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(commit) || needsMapping(commit.time)) return undefined
  if (Array.isArray(commit.events)) {
    for (const event of commit.events as Array<unknown>) {
      if (!isRecord(event) || typeof event.type !== "string") continue
      for (const path of INSTANT_PATHS.get(event.type) ?? []) if (needsMapping(valueAt(event.data, path))) return undefined
    }
  }
  return commit
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const key of path) value = isRecord(value) ? value[key] : undefined
  return value
}

function hasStrayInstant(text: string): boolean {
  for (const match of text.matchAll(QUOTED_INSTANT)) if (storableInstant(match[1]!, () => STORED_INSTANTS.min).clamped) return true
  return false
}

/** Maps the instant at `path` in place; true when it was clamped. Values that don't look like instants are left to the decoder. */
function clampAt(root: Record<string, unknown>, path: Path, storedAt: () => string): boolean {
  let parent: unknown = root
  for (const key of path.slice(0, -1)) parent = isRecord(parent) ? parent[key] : undefined
  const key = path.at(-1)!
  if (!isRecord(parent) || typeof parent[key] !== "string" || !INSTANT_LIKE.test(parent[key])) return false
  const mapped = storableInstant(parent[key], storedAt)
  parent[key] = mapped.value
  return mapped.clamped
}

/** Every string, keys included (a heartbeat's status keys end up in jsonb), made storable. */
function deepText(value: unknown): unknown {
  if (typeof value === "string") return storableText(value)
  if (Array.isArray(value)) return value.map(deepText)
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), deepText(v)]))
  return value
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
