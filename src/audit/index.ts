// The audit room's public surface: the payment log read in order, its hash chain and signed seals, verification,
// and the record of who read the audit trail.
export { type AuditAccess, recordAuditAccess } from "./access.ts"
export { chainStep, GENESIS_DIGEST, OpenRange, type SealFields, sealMacInput } from "./chain.ts"
export { type LoggedMessage, type LogRange, readLog } from "./paymentLog.ts"
export { allSeals, lastSeal, type Seal, type StoredSeal } from "./seals.ts"
export {
  describeFinding, describeReport, type Finding, type LegacyRange, MAX_LISTED, type VerifyOptions, type VerifyReport, verifyPayments,
} from "./verify.ts"
export { type Balance, balancesAsOf } from "./balances.ts"
export { compareDays, type DayRange, type DayTotals, type Difference, reconcile, type Reconciliation, reconciliationOf } from "./reconcile.ts"
export {
  actorLabel, type Clients, describeRange, KioskNames, REPLAY_CSV_HEADER, replayCsvHeader, replayCsvLine, replayEnd, replayJsonLine,
  type ReplayRange, type ReplayRow, replayPayments,
} from "./replay.ts"
export { lastReconciliation, lastVerification } from "./seals.ts"
