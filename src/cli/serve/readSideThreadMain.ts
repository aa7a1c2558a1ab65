// The read side's worker thread of a `serve` that runs the edge beside other roles (started by readSideThread.ts):
// its own runtime (one NATS connection, one Postgres pool per role, as a process of its own would have), its
// roles started in serve's order, readiness and metrics answered on request, and on "stop" its roles stopped in
// reverse and the runtime disposed. What it throws and does not catch ends the thread, and serve with it.
import { setPriority } from "node:os"
import { parentPort, workerData } from "node:worker_threads"
import { describeOperationalFailure, makeLogger, metricsSnapshot } from "../../platform/index.ts"
import { type CliRuntime, runtimeFrom, settingsFrom } from "../command.ts"
import type { FromThread, ThreadData, ToThread } from "./readSideThread.ts"
import { type StartedRoles, startRoles } from "./roles.ts"

if (parentPort === null) throw new Error("readSideThreadMain.ts runs as serve's worker thread, not on its own")
const port = parentPort
const { roles } = workerData as ThreadData
const tell = (message: FromThread) => port.postMessage(message)

/**
 * The read side's nice value. Under load the edge's requests come first: the projectors and workers take what the
 * edge leaves of the cores and catch up when traffic eases (their lag shows as projection_lag_events). On Linux a
 * thread has a nice value of its own; elsewhere setPriority(0) would lower the whole process, edge included.
 */
const READ_SIDE_NICE = 10
if (process.platform === "linux") setPriority(0, READ_SIDE_NICE)

let started: StartedRoles | undefined
let stopAsked = false
const stopRequested = Promise.withResolvers<void>()

// Settings from the environment serve read its own from (the thread's process.env is a copy of it).
const settings = await settingsFrom(process.env)
const log = makeLogger(settings, "serve").child({ thread: "read-side" })
// A probe or scrape that fails answers as one (not ready, or only the main thread's metrics); it never ends the thread.
port.on("message", (message: ToThread) => {
  if (message.type === "stop") {
    stopAsked = true
    stopRequested.resolve()
  } else if (message.type === "readiness") {
    const report = started ? started.readiness() : Promise.resolve({ roles: { ok: false, detail: "starting" } })
    void report
      .catch((error: unknown) => {
        log.error({ err: error }, "readiness check failed")
        return { roles: { ok: false, detail: "readiness check failed" } }
      })
      .then((r) => tell({ type: "readiness", id: message.id, report: r }))
  } else {
    void metricsSnapshot()
      .catch((error: unknown) => {
        log.error({ err: error }, "collecting the read side's metrics failed")
        return []
      })
      .then((snapshot) => tell({ type: "metrics", id: message.id, snapshot }))
  }
})

let runtime: CliRuntime | undefined
try {
  runtime = await runtimeFrom(settings, "serve-read-side")
  started = await startRoles(roles, runtime, settings, log, () => stopAsked)
  tell({ type: "started", roles: started.names })
  await stopRequested.promise
  await started.stop()
} catch (error) {
  // Sent as text: an error's own fields (a code, a cause) need not survive the copy between threads.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  tell({ type: "failed", error: text, summary: describeOperationalFailure(error, settings) })
} finally {
  await runtime?.dispose()
  tell({ type: "stopped" })
  port.close()
}
