// One live edge as a process of its own: the second edge of the multi-edge test and the edge under load in the
// bench. Settings come from the environment (APP_NAMESPACE, NATS_URL…); LIVE_JWT_SECRET must match the tokens'
// signer; LIVE_LIMITS is optional JSON. Prints `{"port":…}` on stdout once listening; SIGTERM stops it.
import { Effect } from "effect"
import { openEventStore } from "../../../src/commands/index.ts"
import { closeNats, connectNats, readSettings } from "../../../src/platform/index.ts"
import { startLiveEdge } from "./edge.ts"

const secret = process.env.LIVE_JWT_SECRET
if (secret === undefined) throw new Error("LIVE_JWT_SECRET is required")
const settings = await Effect.runPromise(readSettings())
const clients = await connectNats(settings, "live-edge")
const store = await Effect.runPromise(openEventStore(clients, settings))
const edge = await startLiveEdge({ store, secret, limits: process.env.LIVE_LIMITS ? JSON.parse(process.env.LIVE_LIMITS) : {} })
process.stdout.write(`${JSON.stringify({ port: edge.port })}\n`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await edge.close()
  await closeNats(clients)
  process.exit(0)
}
process.on("SIGTERM", () => void stop())
process.on("SIGINT", () => void stop())
