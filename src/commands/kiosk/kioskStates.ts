// Every kiosk's state in this process, folded (state.ts) from the KIOSKS stream by one ordered consumer, so that a
// kiosk's request is checked and decided without reading the kiosk from NATS. Rebuilt from the stream's start
// when the process starts; kept current by following it.
//
// Staleness bound: `current` answers only while the follower has applied everything the stream held `boundMs` ago
// or later. Every `syncEveryMs` it asks the stream's last sequence, noting when it asked; once it has applied up to
// that sequence, it is current as of that moment. So a change acknowledged at time t (a rotated credential, a
// decommission) is in every answer given from t + boundMs on, by every process that answers at all: when the
// follower is behind (NATS slow, the process starved), `current` says "don't know" and the caller reads the kiosk
// from the store as before, and the edge reports itself not ready.
//
// It is the process's one reader of KIOSKS: whoever else needs the stream (the live feed's `kiosks` topic and its
// ownership checks) listens to it here, so no second fold of the same events can disagree with this one.
import { Context, Effect } from "effect"
import { CorruptEvent, type EventStoreShape, type StoredCommit } from "../eventStore/index.ts"
import { evolveKiosk, initialKioskState, isKioskEvent, type KioskState } from "./state.ts"

export interface KioskStatesShape {
  /**
   * The kiosk as it is at most the bound ago; undefined when this process cannot vouch for that (still
   * rebuilding, behind, or a kiosk it has not seen): the caller then loads the kiosk from the store.
   */
  current(kioskId: string): KioskState | undefined
  /** Whether answers are given now (within the bound): what the edge's readiness reports. */
  isCurrent(): boolean
  /**
   * A kiosk's state right after a commit this process appended (at stream sequence `seq`): taken at once, so the
   * edge that made a change (an assignment, a rotation) honours it in its very next request.
   */
  wrote(kioskId: string, state: KioskState, seq: number): void
  /**
   * The kiosk as folded so far, however old: for what must follow the stream in order (the live feed's checks).
   * Undefined until first rebuilt; a kiosk not seen then is `none`.
   */
  folded(kioskId: string): KioskState | undefined
  /** The kiosk as of at least now: once the follower has applied the stream's end, asked now (read-your-writes). */
  latest(kioskId: string): Promise<KioskState>
  /** Calls the listener with each KIOSKS message once folded in, in stream order; returns how to stop. */
  onCommit(listener: (stored: StoredCommit) => void): () => void
  /** Calls the listener when a kiosk changes (by the stream or this process's own write), once first rebuilt. */
  onChange(listener: KioskChange): () => void
}

export type KioskChange = (kioskId: string, after: KioskState, before: KioskState) => void

/** Optional: a process that provides it (the edge) reads kiosks from memory; without it they are loaded. */
export class KioskStates extends Context.Service<KioskStates, KioskStatesShape>()("admin-kiosk/commands/KioskStates") {}

export interface LiveKioskStatesOptions {
  readonly store: Pick<EventStoreShape, "replay" | "lastSequence">
  /** The staleness bound. Default 1,000 ms. */
  readonly boundMs?: number
  /** How often the stream's end is asked. Default a fifth of the bound. */
  readonly syncEveryMs?: number
  readonly log?: { warn(details: object, message: string): void; error(details: object, message: string): void }
  /** Monotonic milliseconds (tests pass their own). */
  readonly now?: () => number
}

export const DEFAULT_KIOSK_STATE_BOUND_MS = 1_000
const MAX_BACKOFF_MS = 2_000

export class LiveKioskStates implements KioskStatesShape {
  readonly boundMs: number
  private readonly syncEveryMs: number
  private readonly store: LiveKioskStatesOptions["store"]
  private readonly log: LiveKioskStatesOptions["log"]
  private readonly now: () => number
  /** Each kiosk's state and the KIOSKS sequence it is folded up to. */
  private readonly kiosks = new Map<string, { readonly state: KioskState; readonly seq: number }>()
  private readonly stopped = new AbortController()
  /** The last KIOSKS sequence folded in. */
  private applied = 0
  /** When (this.now()) the latest stream end we have reached was asked; -Infinity before the first. */
  private currentAsOf = Number.NEGATIVE_INFINITY
  /** Stream ends asked but not reached yet, oldest first. */
  private targets: Array<{ readonly askedAt: number; readonly seq: number }> = []
  private syncing = false
  /** Whether the follower has ever applied a stream end it asked: the states are rebuilt. */
  private rebuiltOnce = false
  /** `latest` callers waiting for the follower to apply a sequence. */
  private waiting: Array<{ readonly seq: number; readonly resolve: () => void }> = []
  private readonly commitListeners = new Set<(stored: StoredCommit) => void>()
  private readonly changeListeners = new Set<KioskChange>()
  private timer: NodeJS.Timeout | undefined
  private readonly rebuilt: Promise<void>
  private resolveRebuilt!: () => void

  constructor(options: LiveKioskStatesOptions) {
    this.store = options.store
    this.boundMs = options.boundMs ?? DEFAULT_KIOSK_STATE_BOUND_MS
    this.syncEveryMs = options.syncEveryMs ?? Math.max(10, Math.floor(this.boundMs / 5))
    this.log = options.log
    this.now = options.now ?? (() => performance.now())
    this.rebuilt = new Promise((resolve) => { this.resolveRebuilt = resolve })
  }

  /** Starts following KIOSKS from its first message and asking its end. */
  start(): void {
    void this.follow()
    void this.sync()
    this.timer = setInterval(() => void this.sync(), this.syncEveryMs)
    this.timer.unref()
  }

  /** Resolves once the state is rebuilt up to the stream's end as of some moment after start. */
  caughtUp(): Promise<void> {
    return this.rebuilt
  }

  /** Current within the bound now: what readiness reports. */
  isCurrent(): boolean {
    return this.now() - this.currentAsOf <= this.boundMs
  }

  current(kioskId: string): KioskState | undefined {
    if (!this.isCurrent()) return undefined
    return this.kiosks.get(kioskId)?.state
  }

  wrote(kioskId: string, state: KioskState, seq: number): void {
    const known = this.kiosks.get(kioskId)
    if (known !== undefined && known.seq >= seq) return
    this.kiosks.set(kioskId, { state, seq })
    this.changed(kioskId, state, known?.state ?? initialKioskState())
  }

  folded(kioskId: string): KioskState | undefined {
    if (!this.rebuiltOnce) return undefined
    return this.kiosks.get(kioskId)?.state ?? initialKioskState()
  }

  async latest(kioskId: string): Promise<KioskState> {
    const end = await Effect.runPromise(this.store.lastSequence("KIOSKS"))
    if (end > this.applied) await new Promise<void>((resolve) => this.waiting.push({ seq: end, resolve }))
    this.markRebuilt()
    return this.kiosks.get(kioskId)?.state ?? initialKioskState()
  }

  onCommit(listener: (stored: StoredCommit) => void): () => void {
    this.commitListeners.add(listener)
    return () => this.commitListeners.delete(listener)
  }

  onChange(listener: KioskChange): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  stop(): void {
    clearInterval(this.timer)
    this.stopped.abort()
  }

  /** Asks the stream's end; reached at once if already applied, else when the follower gets there. */
  async sync(): Promise<void> {
    if (this.syncing || this.stopped.signal.aborted) return
    this.syncing = true
    const askedAt = this.now()
    try {
      const seq = await Effect.runPromise(this.store.lastSequence("KIOSKS"))
      this.targets.push({ askedAt, seq })
      this.settle()
    } catch (error) {
      this.log?.warn({ err: error }, "kiosk states: cannot read the end of KIOSKS; answers stop when the bound passes")
    } finally {
      this.syncing = false
    }
  }

  private settle(): void {
    while (this.targets.length > 0 && this.targets[0]!.seq <= this.applied) {
      this.currentAsOf = Math.max(this.currentAsOf, this.targets.shift()!.askedAt)
      this.markRebuilt()
    }
    if (this.waiting.some((w) => w.seq <= this.applied)) {
      const reached = this.waiting.filter((w) => w.seq <= this.applied)
      this.waiting = this.waiting.filter((w) => w.seq > this.applied)
      for (const w of reached) w.resolve()
    }
  }

  private markRebuilt(): void {
    this.rebuiltOnce = true
    this.resolveRebuilt()
  }

  /**
   * Told only once rebuilt: no one can depend on a kiosk before (`latest` waits for a stream end), and the rebuild
   * replays every change ever made.
   */
  private changed(kioskId: string, after: KioskState, before: KioskState): void {
    if (!this.rebuiltOnce || after === before) return
    for (const listener of this.changeListeners) this.tell(() => listener(kioskId, after, before))
  }

  private tell(call: () => void): void {
    try {
      call()
    } catch (error) {
      this.log?.error({ err: error }, "kiosk states: a listener failed")
    }
  }

  private async follow(): Promise<void> {
    const signal = this.stopped.signal
    let failures = 0
    while (!signal.aborted) {
      try {
        for await (const stored of this.store.replay("KIOSKS", { fromSeq: this.applied + 1, signal })) {
          /** Each kiosk this message changes, as it was before it. */
          const folding = new Map<string, KioskState>()
          for (const event of stored.recorded) {
            if (!isKioskEvent(event)) continue
            const kioskId = event.data.kioskId
            const known = this.kiosks.get(kioskId)
            // Already folded in (a commit of this process's own, taken when written).
            if (known !== undefined && known.seq >= stored.seq && !folding.has(kioskId)) continue
            if (!folding.has(kioskId)) folding.set(kioskId, known?.state ?? initialKioskState())
            this.kiosks.set(kioskId, { state: evolveKiosk(known?.state ?? initialKioskState(), event), seq: stored.seq })
          }
          this.applied = stored.seq
          failures = 0
          this.settle()
          // Changes first, then the message: what depends on a kiosk has moved before anyone is shown the event.
          for (const [kioskId, before] of folding) this.changed(kioskId, this.kiosks.get(kioskId)!.state, before)
          for (const listener of this.commitListeners) this.tell(() => listener(stored))
        }
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof CorruptEvent) {
          // Logged by the store. Skipping it keeps every other kiosk current; the one it belonged to is stale.
          this.log?.error({ err: error, seq: error.seq }, "kiosk states skip an undecodable KIOSKS message")
          this.applied = Math.max(this.applied, error.seq)
          this.settle()
          continue
        }
        failures++
        const delay = Math.min(MAX_BACKOFF_MS, 50 * 2 ** failures)
        this.log?.warn({ err: error, applied: this.applied, retryInMs: delay }, "kiosk states: KIOSKS follower interrupted; resuming")
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }
}
