// A projector in a process of its own, for tests that kill it (SIGKILL) or run two at once:
//   node test/support/projections/projectorProcess.ts   (settings from the environment, as any role;
//   PROJECTIONS=payments,kiosks… to run only those, MAX_BATCH=n)
// Prints "ready" once its consumers are attached; SIGTERM stops it cleanly. Its Postgres connections carry
// application_name `admin-kiosk:<ns>:projector-<pid>`, so a test can see when it is inside a transaction.
import { Effect } from "effect"
import { closeNats, connectNats, makeLogger, naming, readSettings } from "../../../src/platform/index.ts"
import { closeDb, openDb, startProjectors } from "../../../src/projections/index.ts"

const settings = await Effect.runPromise(readSettings(process.env))
const role = `projector-${process.pid}`
const nats = await connectNats(settings, role)
const db = openDb(settings, role)
const only = process.env.PROJECTIONS?.split(",").filter(Boolean)
const maxBatch = process.env.MAX_BATCH === undefined ? undefined : Number(process.env.MAX_BATCH)
const running = await startProjectors(
  { db, nats, names: naming(settings.namespace), logger: makeLogger(settings, role) },
  { only, ...(maxBatch === undefined ? {} : { maxBatch }) },
)
process.stdout.write("ready\n")

process.once("SIGTERM", () => {
  void (async () => {
    await running.stop()
    await closeDb(db)
    await closeNats(nats)
    process.exit(0)
  })()
})
