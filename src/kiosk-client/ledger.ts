// The journal in use: records are applied to the state only once the store made them durable, one write at a time.
// Records committed while a write is out go together in the next one (group commit: a busy kiosk pays for one
// fsync per batch, not per sale). Once delivered sales dominate, the journal is rewritten to what it must keep.
import { applyRecord, compactJournal, foldJournal, type JournalRecord, type LedgerState } from "./journal.ts"
import type { JournalStore } from "./store.ts"

export interface Ledger {
  /** The folded state: read it, never change it (commit does). */
  readonly state: LedgerState
  /** Resolves once `records` are durable and applied; rejects (and applies nothing) when the store failed. */
  commit(records: ReadonlyArray<JournalRecord>): Promise<void>
  /** Waits for writes in flight, then closes the store. */
  close(): Promise<void>
}

interface Pending {
  readonly records: ReadonlyArray<JournalRecord>
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** Settled records beyond which a compaction is due (a few hundred kilobytes of journal). */
export const DEFAULT_COMPACT_AFTER = 2_000

export async function openLedger(store: JournalStore, options: { readonly now: () => number; readonly compactAfter?: number }): Promise<Ledger> {
  const state = foldJournal(await store.load())
  const compactAfter = options.compactAfter ?? DEFAULT_COMPACT_AFTER
  const pending: Array<Pending> = []
  let writing: Promise<void> | undefined
  let closed = false

  async function writeAll() {
    while (pending.length > 0) {
      const batch = pending.splice(0)
      try {
        await store.append(batch.flatMap((p) => p.records))
      } catch (error) {
        for (const p of batch) p.reject(error)
        continue
      }
      for (const p of batch) for (const record of p.records) applyRecord(state, record)
      for (const p of batch) p.resolve()
      if (state.settledSinceCompaction >= compactAfter) {
        // A failed compaction loses nothing: the old journal is still whole, and it is tried again later.
        await store.rewrite(compactJournal(state, new Date(options.now()).toISOString())).then(
          () => { state.settledSinceCompaction = 0 },
          () => {},
        )
      }
    }
    writing = undefined
  }

  return {
    state,
    commit(records) {
      if (closed) return Promise.reject(new Error("the kiosk client is closed"))
      return new Promise<void>((resolve, reject) => {
        pending.push({ records, resolve, reject })
        writing ??= writeAll()
      })
    },
    async close() {
      closed = true
      await writing
      await store.close()
    },
  }
}
