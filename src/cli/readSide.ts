// The read side for one CLI task (projections rebuild, status, parked): Db and NATS opened, streams provisioned.
import type { ReadSideDeps } from "../projections/index.ts"
import type { CliContext } from "./command.ts"

/** For usage texts, which must not import the read side (so --help stays fast). */
export const PROJECTION_LIST = "users, kiosks, kiosk_heartbeats, payments, notifications, kiosk_offline_periods"

/** The read side for one CLI task, from the process's runtime (released by main when the command ends). */
export async function withReadSide<A>(ctx: CliContext, task: (deps: ReadSideDeps) => Promise<A>): Promise<A> {
  const runtime = await ctx.runtime()
  const { readSideDeps, withRolePool } = await import("../projections/index.ts")
  const { provisionStreams } = await import("../commands/index.ts")
  const deps = await runtime.runPromise(withRolePool("cli")(readSideDeps))
  // On a fresh installation the streams may not exist yet: an empty stream rebuilds to an empty model.
  await provisionStreams(deps.nats.jsm, deps.names)
  return task(deps)
}
