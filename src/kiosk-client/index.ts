// The kiosk client library's core, free of Node and DOM imports: the client, its types, the journal contract.
// Entry points: node.ts adds the fsync'ed file journal, browser.ts the IndexedDB one; the package exports
// "admin-kiosk/kiosk-client" picks one by condition (node / browser).
export {
  EdgeRequestFailed, InvalidCredential, InvalidSale, type KioskClient, type KioskClientOptions, type KioskStatus,
  newIdempotencyKey, openKioskClient,
} from "./client.ts"
export { kioskIdOfToken } from "../shared/index.ts"
export { DEFAULT_RETRY, type RetryPolicy } from "./delivery.ts"
export { fetchPairingLabel, type PairingLabel } from "./pairingLabel.ts"
export { type Delivery, JournalCorrupt, type JournalRecord, type QueuedPayment, type Rejection, type RejectionProblem } from "./journal.ts"
export type { JournalStore } from "./store.ts"
