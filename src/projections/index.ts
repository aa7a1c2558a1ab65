// The read side's public surface: other rooms import from here only.
export { Db, openDb, closeDb, type Database, type DbHandle, type KioskStatus, type NotificationStatus, type TableName } from "./db.ts"
export { migrate, MigrationFailed, type MigrationOutcome } from "./migrate.ts"
export {
  migrateReadModels, projectionsStatus, readSideDeps, readSideLayer, rebuild, rebuildProjections, runProjectors, startProjectors, status,
  type ProjectorsOptions, type ReadSideDeps, type RunningProjectors,
} from "./runtime.ts"
export { PROJECTION_NAMES } from "./catalogue.ts"
export type { RebuildOptions, RebuildProgress, RebuildResult } from "./engine/rebuild.ts"
export type { ProjectionStatus } from "./engine/status.ts"
export { NotParked, NotReady, ParkedAlreadyResolved, RebuildBusy, StillParked, UnknownProjection } from "./errors.ts"
export { type Decision, listParked, type ParkedEvent, type Retried, retryParked, skipParked } from "./parked.ts"
export { awaitProjection, DEFAULT_WAIT_MS } from "./query/freshness.ts"
export { StreamEnds } from "./query/streamEnds.ts"
export type { Page } from "./query/page.ts"
export type { Scope } from "./query/scope.ts"
export * from "./payments/queries.ts"
export { eachMatchingPayment, EXPORT_BATCH } from "./payments/export.ts"
export * from "./kiosks/queries.ts"
export * from "./users/queries.ts"
export * from "./notifications/queries.ts"
export { kioskUptime, OFFLINE_PERIODS_PROJECTION, offlinePeriodsOverlapping, type OfflinePeriod } from "./offlinePeriods/queries.ts"
export type { Uptime, UptimePeriod } from "./offlinePeriods/uptime.ts"
export * from "./forecasts/index.ts"
