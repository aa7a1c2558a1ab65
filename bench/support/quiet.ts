// Waiting for quiet before a measured run: the server under test and the whole machine (Postgres and NATS finish
// what the last run set off), so that no run shares the machine with an earlier one's leftovers.
import { readFile } from "node:fs/promises"
import { performance } from "node:perf_hooks"
import type { ServerProcess } from "../targets/serverProcess.ts"

const QUIET_CORE_SHARE = 0.05
const QUIET_MACHINE_SHARE = 0.1
const QUIET_WINDOW_MS = 500
/** Longer than any debounce that starts work after traffic stops (the forecaster's fleet refit waits 10 s of quiet). */
const QUIET_HOLD_MS = 12_000
const QUIET_MAX_MS = 120_000

/** Busy and total CPU time of the whole machine so far (/proc/stat, in clock ticks). */
async function machineTicks(): Promise<{ readonly busy: number; readonly total: number }> {
  const [user, nice, system, idle, iowait, ...rest] = (await readFile("/proc/stat", "utf8")).split("\n")[0]!.trim().split(/\s+/u).slice(1).map(Number)
  const total = [user, nice, system, idle, iowait, ...rest.slice(0, 3)].reduce<number>((sum, n) => sum + (n ?? 0), 0)
  return { busy: total - (idle ?? 0) - (iowait ?? 0), total }
}

/**
 * Waits until, for 12 s on end, `server` uses under 5 % of a core (all roles: the read side has worked off what the
 * last run left, the forecaster's debounced refits included) and the whole machine under 10 % of its CPUs (Postgres
 * and NATS done with what the run set off), so that a naive run never shares the machine with our leftovers.
 * Returns the seconds until that quiet began and the server's CPU seconds meanwhile.
 */
export async function untilQuiet(server: ServerProcess): Promise<{ readonly seconds: number; readonly cpuSeconds: number }> {
  const started = performance.now()
  const cpuAtStart = await server.cpuSeconds()
  let before = { server: cpuAtStart, machine: await machineTicks() }
  let quietSince: number | undefined
  let busyCpu = 0
  while (performance.now() - started < QUIET_MAX_MS) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS))
    const now = { server: await server.cpuSeconds(), machine: await machineTicks() }
    const serverShare = (now.server - before.server) / (QUIET_WINDOW_MS / 1000)
    const machineShare = (now.machine.busy - before.machine.busy) / Math.max(1, now.machine.total - before.machine.total)
    before = now
    if (serverShare < QUIET_CORE_SHARE && machineShare < QUIET_MACHINE_SHARE) {
      quietSince ??= performance.now() - QUIET_WINDOW_MS
      if (performance.now() - quietSince >= QUIET_HOLD_MS) break
    } else {
      quietSince = undefined
      busyCpu = now.server - cpuAtStart
    }
  }
  const seconds = ((quietSince ?? performance.now()) - started) / 1000
  return { seconds, cpuSeconds: busyCpu }
}

