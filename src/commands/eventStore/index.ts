// The event store's public surface: other rooms import from here only.
export { EventStore, openEventStore, type EventStoreOptions, type EventStoreShape } from "./eventStore.ts"
export { CorruptEvent, StoreUnavailable, WrongExpectedVersion } from "./errors.ts"
export { decodeParsed, decodeStored, makeCommit, type NewEvent, type Position, type RecordedEvent, type StoredCommit } from "./codec.ts"
export { provisionStreams, streamSpecs, STORE_BUCKETS, type ProvisionReport } from "./provision.ts"
export { snapshotKey } from "./snapshots.ts"
export type { StoreStats } from "./storeMetrics.ts"
export type {
  Aggregate, AggregateDecider, AppendOptions, Appended, EventsToAppend, Handled, HandleOptions, Loaded, ReplayOptions, Target,
} from "./types.ts"
