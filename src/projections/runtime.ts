// The read side as a process runs it: migrate, start every projector and the lag/alarm watch; rebuild; status.
import { Effect, Layer } from "effect"
import { type WriteSide, writeSideLayer } from "../commands/index.ts"
import {
  type AppSettings, condition, type Logger, makeLogger, type Naming, naming, Nats, type NatsClients, type Readiness, Settings,
} from "../platform/index.ts"
import { PROJECTIONS, projectionNamed } from "./catalogue.ts"
import { Db, type DbHandle, DbPools } from "./db.ts"
import type { Projection } from "./engine/projection.ts"
import { type ProjectorOptions, type RunningProjector, startProjector } from "./engine/projector.ts"
import { rebuildProjection, type RebuildOptions, type RebuildResult } from "./engine/rebuild.ts"
import { projectionStatus, type ProjectionStatus, watchProjections } from "./engine/status.ts"
import { UnknownProjection } from "./errors.ts"
import { migrate } from "./migrate.ts"

export interface ReadSideDeps {
  readonly db: DbHandle
  readonly nats: Pick<NatsClients, "js" | "jsm">
  readonly names: Naming
  readonly logger: Logger
}

export interface ProjectorsOptions extends ProjectorOptions {
  /** Run only these projections (default: all). */
  readonly only?: ReadonlyArray<string> | undefined
  /** How often lag gauges and the stream-behind alarm are refreshed. Default 5 s. */
  readonly watchIntervalMs?: number | undefined
}

export interface RunningProjectors {
  readonly names: ReadonlyArray<string>
  /** Ready = every projector's consumer is bound and its lag is known. */
  readonly readiness: Readiness
  /** Stops every projector after its batch in hand, and the watch. */
  stop(): Promise<void>
}

function select(only: ReadonlyArray<string> | undefined): ReadonlyArray<Projection> {
  if (only === undefined) return PROJECTIONS
  return only.map((name) => {
    const found = projectionNamed(name)
    if (found === undefined) throw new UnknownProjection({ message: `no projection named ${name}`, name })
    return found
  })
}

/** Migrates, then starts the projectors. */
export async function startProjectors(deps: ReadSideDeps, options: ProjectorsOptions = {}): Promise<RunningProjectors> {
  const selected = select(options.only)
  await migrate(deps.db)
  const running: Array<RunningProjector> = []
  try {
    for (const projection of selected) running.push(await startProjector(projection, deps, options))
  } catch (error) {
    await Promise.all(running.map((r) => r.stop()))
    throw error
  }
  const watch = watchProjections(deps, selected, options.watchIntervalMs)
  return {
    names: selected.map((p) => p.name),
    readiness: async () => ({
      ...Object.fromEntries(running.map((r) => [`consumer:${r.name}`, condition(r.bound(), "consumer not bound")])),
      lag: condition(watch.lagKnown(), "lag unknown: NATS or Postgres did not answer lately"),
    }),
    async stop() {
      await watch.stop()
      await Promise.all(running.map((r) => r.stop()))
    },
  }
}

/** Rebuilds one projection, or all of them one after another. */
export async function rebuildProjections(deps: ReadSideDeps, target: string, options: RebuildOptions = {}): Promise<ReadonlyArray<RebuildResult>> {
  const selected = target === "all" ? PROJECTIONS : select([target])
  await migrate(deps.db)
  const results: Array<RebuildResult> = []
  for (const projection of selected) results.push(await rebuildProjection(projection, deps, options))
  return results
}

/** Per projection (default all): its checkpoint, its stream's last sequence and the lag between them. */
export async function projectionsStatus(deps: Pick<ReadSideDeps, "db" | "nats" | "names">, only?: ReadonlyArray<string>): Promise<ReadonlyArray<ProjectionStatus>> {
  return projectionStatus(deps, select(only))
}

/** What a role running the read side needs, from the process's runtime (its Db: the role's own pool). */
export const readSideDeps = Effect.gen(function* () {
  const db = yield* Db
  const nats = yield* Nats
  const settings = yield* Settings
  return { db, nats, names: naming(settings.namespace), logger: makeLogger(settings, "projections") } satisfies ReadSideDeps
})

/** Every service a process's roles take from its one runtime: settings, NATS, the event store, Postgres pools. */
export type ProcessServices = WriteSide | DbPools

/**
 * The process's layer, built once where the process starts (one NATS connection named after `name`, one pool
 * per role that asks for one) and released once when it ends: the pools closed, then NATS drained.
 */
export const processLayer = (settings: AppSettings, name: string) => DbPools.layer.pipe(Layer.provideMerge(writeSideLayer(settings, name)))
