// The read side for one CLI task (projections rebuild, status, parked): Db and NATS opened, streams provisioned.
import type { ReadSideDeps } from "../projections/index.ts"
import type { CliContext } from "./command.ts"

/** For usage texts, which must not import the read side (so --help stays fast). */
export const PROJECTION_LIST = "users, kiosks, kiosk_heartbeats, payments, notifications, kiosk_offline_periods"

/** The read side's layers for one CLI task, released (pool closed, NATS drained) when `task` ends. */
export async function withReadSide<A>(ctx: CliContext, task: (deps: ReadSideDeps) => Promise<A>): Promise<A> {
  const settings = await ctx.settings()
  const { ManagedRuntime } = await import("effect")
  const { readSideDeps, readSideLayer } = await import("../projections/index.ts")
  const { provisionStreams } = await import("../commands/index.ts")
  const runtime = ManagedRuntime.make(readSideLayer(settings, "cli"))
  try {
    const deps = await runtime.runPromise(readSideDeps)
    // On a fresh installation the streams may not exist yet: an empty stream rebuilds to an empty model.
    await provisionStreams(deps.nats.jsm, deps.names)
    return await task(deps)
  } finally {
    await runtime.dispose()
  }
}
