// The read side as a process runs it: migrate, start every projector and the lag/alarm watch; rebuild; status.
import { Effect, Layer } from "effect"
import {
  type AppSettings, condition, type Logger, makeLogger, type Naming, naming, Nats, type NatsClients, type Readiness, Settings,
} from "../platform/index.ts"
import { PROJECTIONS, projectionNamed } from "./catalogue.ts"
import { Db, type DbHandle } from "./db.ts"
import type { Projection } from "./engine/projection.ts"
import { type ProjectorOptions, type RunningProjector, startProjector } from "./engine/projector.ts"
import { rebuildProjection, type RebuildOptions, type RebuildResult } from "./engine/rebuild.ts"
import { projectionStatus, type ProjectionStatus, watchProjections } from "./engine/status.ts"
import { RebuildBusy, UnknownProjection } from "./errors.ts"
import { migrate, type MigrationOutcome } from "./migrate.ts"

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

/** Migrates, then starts the projectors; the plain-promise core of `runProjectors`. */
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

export const readSideDeps = Effect.gen(function* () {
  const db = yield* Db
  const nats = yield* Nats
  const settings = yield* Settings
  return { db, nats, names: naming(settings.namespace), logger: makeLogger(settings, "projections") } satisfies ReadSideDeps
})

/** The projectors as a scoped resource: started when acquired, stopped (batches finished) when the scope closes. */
export const runProjectors = (options: ProjectorsOptions = {}) =>
  Effect.acquireRelease(
    Effect.flatMap(readSideDeps, (deps) => Effect.promise(() => startProjectors(deps, options))),
    (running) => Effect.promise(() => running.stop()),
  )

export const migrateReadModels: Effect.Effect<MigrationOutcome, never, Db> = Effect.flatMap(Db, (db) => Effect.promise(() => migrate(db)))

export const rebuild = (target: string, options: RebuildOptions = {}) =>
  Effect.flatMap(readSideDeps, (deps) =>
    Effect.tryPromise({
      try: () => rebuildProjections(deps, target, options),
      catch: (error) => error,
    }).pipe(Effect.catch((error) =>
      error instanceof UnknownProjection || error instanceof RebuildBusy ? Effect.fail(error) : Effect.die(error))))

/** `projectionsStatus` as an Effect. */
export const status = (only?: ReadonlyArray<string>) =>
  Effect.flatMap(readSideDeps, (deps) =>
    Effect.tryPromise({ try: () => projectionsStatus(deps, only), catch: (error) => error }).pipe(Effect.catch((error) =>
      error instanceof UnknownProjection ? Effect.fail(error) : Effect.die(error))))

/** Db, Nats and Settings for a process (or CLI task) that runs the read side. */
export const readSideLayer = (settings: AppSettings, role = "projections") =>
  Layer.mergeAll(Db.layerWithRole(role), Nats.layerWithRole(role)).pipe(Layer.provideMerge(Layer.succeed(Settings)(settings)))
