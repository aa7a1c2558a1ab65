// Who operates each kiosk NOW, for deciding what an operator may receive. Loaded on demand from the event store
// (snapshot-backed, one small fold) and kept current by the edge's live KIOSKS feed, so that every forwarded event
// is checked against the present assignment without a query per event.
import { Effect } from "effect"
import {
  type Aggregate, evolveKiosk, type EventStoreShape, initialKioskState, isKioskEvent, type KioskEvent, type KioskState, type NewEvent,
} from "../../commands/index.ts"
import type { LiveCommit } from "./liveCommit.ts"

export interface KioskOwner {
  /** The operator the kiosk is assigned to, or null (unassigned, decommissioned, unknown kiosk). */
  readonly operatorId: string | null
  /** The KIOSKS stream sequence this answer is true as of; an older answer never replaces a newer one. */
  readonly version: number
}

/** Events that say who operates a kiosk; each carries the whole answer (who, or nobody). */
const OWNERSHIP_EVENTS: ReadonlySet<string> = new Set<KioskEvent["type"]>(["KioskRegistered", "KioskAssigned", "KioskUnassigned", "KioskDecommissioned"])

/** The kiosk as the write side folds it (commands' one kiosk fold); the owner is its `operatorId`. */
const kioskState: Aggregate<KioskState, NewEvent> = {
  name: "live-kiosk-state",
  // 2: the kiosk state carries pairingVersion.
  snapshotVersion: 2,
  initialState: initialKioskState,
  evolve: (state, event) => (isKioskEvent(event) ? evolveKiosk(state, event) : state),
}
const operatorOf = (state: KioskState) => (state.status === "none" ? null : state.operatorId)

/**
 * The owner after the last ownership event of a message, with no earlier state: the same fold, on a kiosk that
 * exists (an ownership event only comes for one), so that the message alone settles it.
 */
function ownerAfter(kioskId: string, events: ReadonlyArray<KioskEvent>, current: string | null): string | null {
  const last = events.findLast((e) => OWNERSHIP_EVENTS.has(e.type))
  if (last === undefined) return current
  const existing: KioskState = {
    status: "active", kioskId, code: "", name: "", location: "", credentialHash: "", credentialVersion: 0, operatorId: current, pairingVersion: 0, connectivity: "unknown",
  }
  return operatorOf(evolveKiosk(existing, last))
}

export type OwnerChange = (kioskId: string, operatorId: string | null) => void

export class KioskOwners {
  private readonly entries = new Map<string, KioskOwner>()
  private readonly loading = new Map<string, Promise<KioskOwner>>()
  private readonly changes: Array<OwnerChange> = []
  private readonly store: EventStoreShape
  /** Resolves once the KIOSKS feed follows the stream: a load made after it can miss no later change. */
  private readonly following: () => Promise<void>
  private readonly maxEntries: number

  constructor(options: { store: EventStoreShape; following: () => Promise<void>; maxEntries?: number }) {
    this.store = options.store
    this.following = options.following
    this.maxEntries = options.maxEntries ?? 100_000
  }

  /** Called when a kiosk's operator changes (by the feed or a newer load). */
  onChange(listener: OwnerChange): void {
    this.changes.push(listener)
  }

  /** The owner if known now, without waiting. */
  peek(kioskId: string): KioskOwner | undefined {
    return this.entries.get(kioskId)
  }

  /** The owner, from the cache or loaded once (concurrent callers share the load). */
  resolve(kioskId: string): KioskOwner | Promise<KioskOwner> {
    const known = this.entries.get(kioskId)
    if (known !== undefined) return known
    let pending = this.loading.get(kioskId)
    if (pending === undefined) {
      pending = this.load(kioskId).finally(() => this.loading.delete(kioskId))
      this.loading.set(kioskId, pending)
    }
    return pending
  }

  /** A KIOSKS message from the live feed, applied before it is forwarded to anyone. */
  apply(commit: LiveCommit): void {
    const kioskId = commit.kioskId
    const events = commit.events.flatMap((e) => (isKioskEvent(e) ? [e] : []))
    if (kioskId === undefined || !events.some((e) => OWNERSHIP_EVENTS.has(e.type))) return
    const before = this.entries.get(kioskId)
    if (before !== undefined && before.version >= commit.seq) return
    const operatorId = ownerAfter(kioskId, events, before?.operatorId ?? null)
    this.set(kioskId, { operatorId, version: commit.seq }, before)
  }

  private async load(kioskId: string): Promise<KioskOwner> {
    await this.following()
    const subject = this.store.naming.subject.kiosk(kioskId)
    const loaded = await Effect.runPromise(this.store.load(kioskState, "KIOSKS", subject))
    const before = this.entries.get(kioskId)
    // The feed may have applied a newer change while we loaded: keep the newer answer.
    if (before !== undefined && before.version >= loaded.version) return before
    const owner = { operatorId: operatorOf(loaded.state), version: loaded.version }
    this.set(kioskId, owner, before)
    return owner
  }

  private set(kioskId: string, owner: KioskOwner, before: KioskOwner | undefined): void {
    this.entries.delete(kioskId)
    this.entries.set(kioskId, owner)
    // Forgetting is always safe (the next need loads again): the oldest entries go first.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    if (before?.operatorId !== owner.operatorId) for (const listener of this.changes) listener(kioskId, owner.operatorId)
  }
}
