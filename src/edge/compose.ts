// Wires the edge on the process's runtime (settings, NATS, event store, the edge's own read-model pool): the kiosk
// states, the session store, the readiness checks, the app. `close` stops taking requests and lets in-flight ones
// finish; NATS and the pool belong to the runtime, which its owner disposes after every role stopped.
import { Context, Effect, type ManagedRuntime } from "effect"
import type { FastifyInstance } from "fastify"
import { sql } from "kysely"
import { EventStore, KioskStates, LiveKioskStates } from "../commands/index.ts"
import {
  followConnection, type Logger, makeLogger, naming, Nats, type Readiness, Settings,
} from "../platform/index.ts"
import { Db, DbPools, migrate, type ProcessServices, StreamEnds } from "../projections/index.ts"
import { buildApp, type EdgeLimits } from "./app.ts"
import { openSessionStore } from "./auth/sessions.ts"
import { readinessOf } from "./readiness.ts"
import type { EdgeServices } from "./services.ts"

export const SESSIONS_BUCKET = "sessions"

export interface EdgeOptions {
  readonly limits?: Partial<EdgeLimits>
  readonly logger?: Logger
  readonly accessTtlSeconds?: number
  readonly version?: string
  /** The built console served under /console/ (default ui/dist). */
  readonly consoleDir?: string
  /** The built kiosk app served under /kiosk/ (default ui/kiosk/dist). */
  readonly kioskAppDir?: string
}

export interface Edge {
  readonly app: FastifyInstance
  /** NATS, the streams and Postgres answer: the edge role's part of the ops port's /readyz. */
  readonly readiness: Readiness
  /** Stops the app (in-flight requests finish) and the kiosk states. Safe to call twice. */
  close(): Promise<void>
}

export async function openEdge(runtime: ManagedRuntime.ManagedRuntime<ProcessServices, unknown>, options: EdgeOptions = {}): Promise<Edge> {
  const { settings, clients, store, pools } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, store: EventStore, pools: DbPools }))
  const handle = pools.forRole("edge")
  // Kiosk requests are checked and decided on this process's own copy of every kiosk (kioskStates.ts).
  const kiosks = new LiveKioskStates({ store, log: options.logger ?? makeLogger(settings, "kiosk-states") })
  kiosks.start()
  try {
    // What the edge adds to the process's services for its requests: its pool, the kiosk states, and the streams'
    // ends, so that a query refuses a min_seq past the end of its stream at once (a 400) instead of waiting (a 503).
    const services = Context.make(Db, handle).pipe(
      Context.add(StreamEnds, { lastSeq: store.lastSequence }),
      Context.add(KioskStates, kiosks),
    )
    const edgeRuntime = { runPromise: <A, E>(effect: Effect.Effect<A, E, EdgeServices>) => runtime.runPromise(Effect.provideContext(effect, services)) }
    // Migrating is idempotent and serialised by a lock, so the edge may do it even when projectors do too:
    // queries must never meet a missing table.
    await migrate(handle)
    const names = naming(settings.namespace)
    const sessions = await openSessionStore({ kvm: clients.kvm, bucket: names.bucket(SESSIONS_BUCKET), replicas: settings.streamReplicas })
    const logger = options.logger ?? makeLogger(settings, "edge")
    const readiness = readinessOf({ nats: clients, names, pingDatabase: () => sql`select 1`.execute(handle.db), kioskStates: kiosks, log: logger })
    const connection = followConnection(clients.nc)
    const app = await buildApp({ settings, runtime: edgeRuntime, sessions, readiness, natsUp: connection.up, kioskStates: kiosks, ...options, logger })
    let closing: Promise<void> | undefined
    return {
      app,
      readiness,
      close: () => (closing ??= app.close().finally(() => kiosks.stop())),
    }
  } catch (error) {
    kiosks.stop()
    throw error
  }
}
