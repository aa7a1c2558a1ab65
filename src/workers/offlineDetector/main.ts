// The offline detector as a process of its own: `node src/workers/offlineDetector/main.ts`.
import { Effect } from "effect"
import { makeLogger, readSettings } from "../../platform/index.ts"
import { startOfflineDetector } from "./detector.ts"

const settings = await Effect.runPromise(readSettings())
const log = makeLogger(settings, "offline-detector")
const detector = await startOfflineDetector(settings, { log })

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "offline detector stopping")
    detector.stop().then(() => process.exit(0), () => process.exit(1))
  })
}
