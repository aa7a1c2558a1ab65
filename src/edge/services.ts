// What the edge's runtime must provide: the event store and settings for command handlers, the read models'
// database for queries, the NATS clients for reading PAYMENTS as stored (audit). The composition root (edge/compose.ts) builds these layers once per process.
import type { EventStore } from "../commands/index.ts"
import type { Nats, Settings } from "../platform/index.ts"
import type { Db } from "../projections/index.ts"

/** The edge also provides StreamEnds, which queries use when it is there; Nats is for the audit's raw reads. */
export type EdgeServices = EventStore | Settings | Db | Nats
