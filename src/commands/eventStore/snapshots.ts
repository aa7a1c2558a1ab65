// Aggregate snapshots in a KV bucket, so that loading costs the same at the millionth event as at the tenth.
// A snapshot is a cache: losing one, or ignoring an old one, only means a longer replay.
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream"
import type { KV } from "@nats-io/kv"

export interface SnapshotOf<State> {
  /** The subject's stream sequence the state was folded up to. */
  readonly version: number
  readonly state: State
  /** The KV revision it was read at, for a compare-and-set write. */
  readonly revision: number
}

export interface SnapshotIdentity {
  /** Names the state's shape; a token of letters, digits, `_` or `-`. */
  readonly name: string
  /** Bump when `evolve` or the state's shape changes: older snapshots are then ignored. */
  readonly snapshotVersion: number
}

const TOKEN = /^[A-Za-z0-9_-]+$/

/** `kiosk.v2.ak.kiosks.kio_…`: KV keys allow dots, and our subjects are made of id-safe tokens. */
export function snapshotKey(aggregate: SnapshotIdentity, subject: string): string {
  if (!TOKEN.test(aggregate.name)) throw new Error(`aggregate name "${aggregate.name}" must match ${TOKEN}`)
  return `${aggregate.name}.v${aggregate.snapshotVersion}.${subject}`
}

export async function readSnapshot<State>(kv: KV, key: string): Promise<SnapshotOf<State> | undefined> {
  const entry = await kv.get(key)
  if (entry === null || entry.operation !== "PUT") return undefined
  const body = entry.json<{ version?: unknown; state?: unknown }>()
  if (typeof body.version !== "number" || !("state" in body)) return undefined
  return { version: body.version, state: body.state as State, revision: entry.revision }
}

/**
 * Writes only if nobody wrote since we read (`previous`); a concurrent loader that folded further wins.
 * Returns whether ours was stored; other failures throw (the caller logs them and carries on).
 */
export async function writeSnapshot<State>(kv: KV, key: string, snapshot: { version: number; state: State }, previous: number | undefined): Promise<boolean> {
  const body = JSON.stringify({ version: snapshot.version, state: snapshot.state })
  try {
    if (previous === undefined) await kv.create(key, body)
    else await kv.update(key, body, previous)
    return true
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) return false
    throw error
  }
}
