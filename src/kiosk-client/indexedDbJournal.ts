// The journal in a browser: one IndexedDB object store of records under increasing keys. Each append and each
// rewrite is one transaction (atomic: a closed tab or a crash keeps all of it or none), committed with
// durability "strict" where the browser supports it, so that "stored" means flushed to disk, as fsync does.
import { isJournalRecord, JournalCorrupt, type JournalRecord } from "./journal.ts"
import type { JournalStore } from "./store.ts"

const RECORDS = "journal"

const done = (request: IDBRequest) => new Promise<unknown>((resolve, reject) => {
  request.onsuccess = () => resolve(request.result)
  request.onerror = () => reject(request.error)
})

const committed = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => {
  tx.oncomplete = () => resolve()
  tx.onerror = () => reject(tx.error)
  tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"))
})

/** Opens (or creates) the journal in the IndexedDB database `name` of this origin. */
export async function openIndexedDbJournal(name = "admin-kiosk-journal", factory: IDBFactory = globalThis.indexedDB): Promise<JournalStore> {
  const opening = factory.open(name, 1)
  opening.onupgradeneeded = () => opening.result.createObjectStore(RECORDS, { autoIncrement: true })
  const db = (await done(opening)) as IDBDatabase
  const write = () => db.transaction(RECORDS, "readwrite", { durability: "strict" })

  return {
    async load() {
      const values = (await done(db.transaction(RECORDS, "readonly").objectStore(RECORDS).getAll())) as ReadonlyArray<unknown>
      // Records are written whole or not at all, so one that doesn't read back was written by something else.
      const bad = values.findIndex((v) => !isJournalRecord(v))
      if (bad !== -1) throw new JournalCorrupt(`IndexedDB journal "${name}": record ${bad} is not a journal record`)
      return values as ReadonlyArray<JournalRecord>
    },
    async append(records: ReadonlyArray<JournalRecord>) {
      const tx = write()
      const store = tx.objectStore(RECORDS)
      for (const record of records) store.add(record)
      await committed(tx)
    },
    async rewrite(records: ReadonlyArray<JournalRecord>) {
      const tx = write()
      const store = tx.objectStore(RECORDS)
      store.clear()
      for (const record of records) store.add(record)
      await committed(tx)
    },
    async close() {
      db.close()
    },
  }
}
