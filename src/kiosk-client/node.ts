// The kiosk client library for Node: everything the browser gets, plus the fsync'ed file journal.
export * from "./index.ts"
export { JournalLocked, openFileJournal } from "./fileJournal.ts"
