// Why a batch failed: because of one event's values (permanent — retrying replays the same failure, so the event
// is parked), or because of the world around it (transient — the batch is retried as it is).
import pg from "pg"
import { CorruptEvent } from "../../commands/index.ts"
import { storableText } from "./storable.ts"

export interface PermanentFailure {
  /** The Postgres SQLSTATE, or "decode" for a message that isn't a valid commit. */
  readonly code: string
  readonly message: string
}

/**
 * Errors that a value causes: Postgres data exceptions (class 22: a date out of range, a number too large for
 * its column), integrity violations (23) and an index row too large (54000), and a message that doesn't decode.
 * Everything else says nothing about the event — a lost connection (08, 57P0x), a serialization failure or a
 * deadlock (40001, 40P01), a NATS timeout, a bug in the SQL (42) — and is retried.
 */
export function permanentFailure(error: unknown): PermanentFailure | undefined {
  if (error instanceof CorruptEvent) return { code: "decode", message: describe(error) }
  if (error instanceof pg.DatabaseError && typeof error.code === "string" && isPermanentState(error.code)) {
    return { code: error.code, message: describe(error) }
  }
  return undefined
}

export const isPermanentState = (sqlState: string): boolean =>
  sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState === "54000"

/** One storable line, bounded: error texts may quote the offending value. */
export const describe = (error: unknown): string =>
  storableText(error instanceof Error ? error.message : String(error)).replace(/\s+/gu, " ").slice(0, 2_000)
