// What the edge's runtime must provide: the event store and settings for command handlers, the read models'
// database for queries, the NATS clients for reading PAYMENTS as stored (audit). The process builds them once, where
// it starts (projections processLayer); edge/compose.ts adds the edge's own pool, kiosk states and stream ends.
import type { EventStore } from "../commands/index.ts"
import type { Nats, Settings } from "../platform/index.ts"
import type { Db } from "../projections/index.ts"

/** The edge also provides StreamEnds, which queries use when it is there; Nats is for the audit's raw reads. */
export type EdgeServices = EventStore | Settings | Db | Nats
