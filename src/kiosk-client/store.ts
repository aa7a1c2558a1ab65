// Where the journal lives: a file with fsync on Node (fileJournal.ts), IndexedDB in a browser (indexedDbJournal.ts).
// The client serialises every call: no two run at once.
import type { JournalRecord } from "./journal.ts"

export interface JournalStore {
  /** Every record kept, oldest first (a torn last record, from a kill mid-write, is left out). */
  load(): Promise<ReadonlyArray<JournalRecord>>
  /** Resolves once the records are durable: a kill, a crash or a power cut after that cannot lose them. */
  append(records: ReadonlyArray<JournalRecord>): Promise<void>
  /** Replaces the whole journal with `records`, atomically: after a kill it holds either the old or the new one. */
  rewrite(records: ReadonlyArray<JournalRecord>): Promise<void>
  close(): Promise<void>
}
