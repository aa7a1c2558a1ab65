// Wires the edge from settings: one runtime (settings, NATS, event store, read-model pool), the session store,
// the readiness checks, the app. `close` stops taking requests, lets in-flight ones finish, then drains NATS and
// ends the pool: the order a graceful shutdown needs.
import { Effect, Layer, ManagedRuntime } from "effect"
import type { FastifyInstance } from "fastify"
import { sql } from "kysely"
import { EventStore, KioskStates, LiveKioskStates, writeSideLayer } from "../commands/index.ts"
import {
  type AppSettings, followConnection, type Logger, makeLogger, naming, Nats, type Readiness,
} from "../platform/index.ts"
import { Db, migrate, StreamEnds } from "../projections/index.ts"
import { buildApp, type EdgeLimits } from "./app.ts"
import { openSessionStore } from "./auth/sessions.ts"
import { readinessOf } from "./readiness.ts"

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
  /** Stops the app (in-flight requests finish), then releases NATS and the pool. Safe to call twice. */
  close(): Promise<void>
}

export async function openEdge(settings: AppSettings, options: EdgeOptions = {}): Promise<Edge> {
  // Queries refuse a min_seq past the end of its stream at once (a 400) instead of waiting for it (a 503).
  const streamEnds = Layer.effect(StreamEnds)(Effect.map(EventStore, (store) => ({ lastSeq: store.lastSequence })))
  // Kiosk requests are checked and decided on this process's own copy of every kiosk (kioskStates.ts).
  const kioskStates = Layer.effect(KioskStates)(Effect.acquireRelease(
    Effect.map(EventStore, (store) => {
      const states = new LiveKioskStates({ store, log: options.logger ?? makeLogger(settings, "kiosk-states") })
      states.start()
      return states
    }),
    (states) => Effect.sync(() => states.stop()),
  ))
  const layer = Layer.mergeAll(Db.layerWithRole("edge"), streamEnds, kioskStates).pipe(Layer.provideMerge(writeSideLayer(settings, "edge")))
  const runtime = ManagedRuntime.make(layer)
  try {
    const { clients, handle, kiosks } = await runtime.runPromise(Effect.all({ clients: Nats, handle: Db, kiosks: KioskStates }))
    // Migrating is idempotent and serialised by a lock, so the edge may do it even when projectors do too:
    // queries must never meet a missing table.
    await migrate(handle)
    const names = naming(settings.namespace)
    const sessions = await openSessionStore({ kvm: clients.kvm, bucket: names.bucket(SESSIONS_BUCKET), replicas: settings.streamReplicas })
    const logger = options.logger ?? makeLogger(settings, "edge")
    const readiness = readinessOf({ nats: clients, names, pingDatabase: () => sql`select 1`.execute(handle.db), kioskStates: kiosks, log: logger })
    const connection = followConnection(clients.nc)
    const app = await buildApp({ settings, runtime, sessions, readiness, natsUp: connection.up, kioskStates: kiosks, ...options, logger })
    let closing: Promise<void> | undefined
    return {
      app,
      readiness,
      close: () => (closing ??= app.close().finally(() => runtime.dispose())),
    }
  } catch (error) {
    await runtime.dispose()
    throw error
  }
}
