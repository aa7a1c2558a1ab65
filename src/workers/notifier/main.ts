// The notifier as a process of its own: `node src/workers/notifier/main.ts`, configured from the environment.
// SIGTERM/SIGINT stop it gracefully (deliveries in hand finish); a SIGKILL is recovered from by the next instance.
import { Effect, ManagedRuntime } from "effect"
import { makeLogger, readSettings } from "../../platform/index.ts"
import { processLayer } from "../../projections/index.ts"
import { startNotifier } from "./worker.ts"

const settings = await Effect.runPromise(readSettings())
const log = makeLogger(settings, "notifier")
// The process's one runtime, disposed (NATS drained, pools closed) once the worker stopped.
const runtime = ManagedRuntime.make(processLayer(settings, "notifier"))
const notifier = await startNotifier(runtime, { log })

let stopping = false
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, "notifier stopping")
    notifier.stop().then(() => runtime.dispose()).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "notifier did not stop cleanly")
        process.exit(1)
      },
    )
  })
}
