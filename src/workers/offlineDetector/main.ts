// The offline detector as a process of its own: `node src/workers/offlineDetector/main.ts`.
import { Effect, ManagedRuntime } from "effect"
import { makeLogger, readSettings } from "../../platform/index.ts"
import { processLayer } from "../../projections/index.ts"
import { startOfflineDetector } from "./detector.ts"

const settings = await Effect.runPromise(readSettings())
const log = makeLogger(settings, "offline-detector")
// The process's one runtime, disposed (NATS drained, pools closed) once the worker stopped.
const runtime = ManagedRuntime.make(processLayer(settings, "offline-detector"))
const detector = await startOfflineDetector(runtime, { log })

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "offline detector stopping")
    detector.stop().then(() => runtime.dispose()).then(() => process.exit(0), () => process.exit(1))
  })
}
