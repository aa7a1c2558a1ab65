// The kiosk client library for browsers: the core plus the IndexedDB journal. Type-checked with the DOM library
// (ui/tsconfig.json), not with the server's.
export * from "./index.ts"
export { openIndexedDbJournal } from "./indexedDbJournal.ts"
