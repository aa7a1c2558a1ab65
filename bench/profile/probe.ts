// Loaded into a server under test with `node --cpu-prof --import bench/profile/probe.ts …` (bench only, never in
// production): counts every NATS request (a publish naming a reply subject is one too) and every other publish the
// process makes between two SIGUSR2s, and notes when they came (monotonic µs, the CPU profile's clock) so that the
// profile can be cut to that window. The first SIGUSR2 starts (and zeroes the counts); the second writes
// PROBE_DIR/nats.json. (An in-process inspector session would be simpler, but it shows up in its own profile as a
// fifth of the time.)
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { NatsConnectionImpl } from "@nats-io/nats-core/internal"

const dir = process.env.PROBE_DIR
if (dir === undefined) throw new Error("PROBE_DIR is required")
const namespace = process.env.APP_NAMESPACE ?? "ak"

const requests = new Map<string, number>()
const publishes = new Map<string, number>()
let insideRequest = 0
const bump = (map: Map<string, number>, subject: string) => {
  const kind = kindOf(subject)
  map.set(kind, (map.get(kind) ?? 0) + 1)
}

// A subject without its namespace, ids and inbox tokens: "$JS.API.DIRECT.GET.<ns>_KIOSKS", "<ns>.payments.*".
function kindOf(subject: string): string {
  const s = subject.replaceAll(namespace.toUpperCase(), "<NS>").replaceAll(namespace, "<ns>")
  if (s.startsWith("_INBOX.")) return "_INBOX.*"
  if (s.startsWith("$JS.API.")) {
    const tokens = s.split(".")
    const verb = tokens.slice(2, tokens[2] === "STREAM" || tokens[2] === "CONSUMER" || tokens[2] === "DIRECT" ? 4 : 3)
    const stream = tokens[verb.length + 2]
    return ["$JS.API", ...verb, ...(stream ? [stream] : [])].join(".")
  }
  if (s.startsWith("$JS.ACK.")) return "$JS.ACK.*"
  if (s.startsWith("$KV.")) return s.split(".").slice(0, 2).join(".") + ".*"
  return s.split(".").slice(0, 2).join(".") + ".*"
}

const proto = NatsConnectionImpl.prototype
const request = proto.request
const publish = proto.publish
proto.request = function (this: NatsConnectionImpl, subject: string, ...rest: Array<unknown>) {
  bump(requests, subject)
  insideRequest++
  try {
    return (request as (...a: Array<unknown>) => ReturnType<typeof request>).call(this, subject, ...rest)
  } finally {
    insideRequest--
  }
} as typeof request
proto.publish = function (this: NatsConnectionImpl, subject: string, ...rest: Array<unknown>) {
  // A publish naming a reply subject awaits an answer all the same (the event store's pipelined appends).
  const replied = typeof (rest[1] as { reply?: unknown } | undefined)?.reply === "string"
  if (insideRequest === 0) bump(replied ? requests : publishes, subject)
  return (publish as (...a: Array<unknown>) => void).call(this, subject, ...rest)
} as typeof publish

const nowUs = () => Number(process.hrtime.bigint() / 1000n)
let fromUs: number | undefined
process.on("SIGUSR2", () => {
  if (fromUs === undefined) {
    fromUs = nowUs()
    requests.clear()
    publishes.clear()
    return
  }
  writeFileSync(join(dir, "nats.json"), JSON.stringify({
    window: { fromUs, toUs: nowUs() }, requests: Object.fromEntries(requests), publishes: Object.fromEntries(publishes),
  }))
})
