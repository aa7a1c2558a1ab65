// A process that starts one append and SIGKILLs itself in a microtask queued right after, within the same turn of
// the event loop: what the notifier's hand-over relies on. Prints nothing; the test reads the stream afterwards.
import { Effect, ManagedRuntime } from "effect"
import { EventStore, writeSideLayer } from "../../src/commands/index.ts"
import { readSettings } from "../../src/platform/index.ts"

const [kioskId, mode] = process.argv.slice(2)
const settings = await Effect.runPromise(readSettings())
const store = await ManagedRuntime.make(writeSideLayer(settings, "append-then-die")).runPromise(EventStore)
const subject = store.naming.subject.telemetry(kioskId!)
Effect.runFork(store.append("TELEMETRY", subject, [{ type: "KioskHeartbeat", data: { kioskId: kioskId!, at: new Date().toISOString(), appVersion: null, status: {} } }], {
  expectedVersion: "any", context: { actor: { kind: "system", name: "append-then-die" }, correlationId: "append-then-die" }, writeNow: mode === "now",
}))
queueMicrotask(() => process.kill(process.pid, "SIGKILL"))
