// The offline detector: follows every kiosk's heartbeats on TELEMETRY (from the last one of each, then live) and
// marks a kiosk offline when it has been silent longer than HEARTBEAT_TIMEOUT_SECONDS, online again at its next
// heartbeat, through the kiosk's own commands. Any number of instances may run: each watches every kiosk, and the
// kiosk decider (optimistic concurrency, a repeat is nothing to do) turns their commands into one event per change.
import { DeliverPolicy } from "@nats-io/jetstream"
import { Effect, type ManagedRuntime, Result } from "effect"
import { type CommandContext, markKioskOffline, markKioskOnline, systemActor, type WriteSide } from "../../commands/index.ts"
import {
  condition, counter, type Logger, makeLogger, naming, Nats, newId, type Readiness, Settings,
} from "../../platform/index.ts"
import { type Belief, type Command, Watch } from "./watch.ts"

export interface DetectorOptions {
  /** How often silent kiosks are looked for. Default: a sixth of the timeout, between 1 s and 30 s. */
  readonly scanIntervalMs?: number | undefined
  readonly log?: Logger | undefined
}

export interface RunningDetector {
  /** Ready = it follows the heartbeats. */
  readonly readiness: Readiness
  stop(): Promise<void>
}

const transitions = counter("offline_detector_commands_total", "Commands the offline detector issued, by kind and effect", ["kind", "effect"])

/** Starts on the process's runtime, which outlives it: stopping the detector leaves NATS to the runtime's owner. */
export async function startOfflineDetector(runtime: ManagedRuntime.ManagedRuntime<WriteSide, unknown>, options: DetectorOptions = {}): Promise<RunningDetector> {
  const { settings, clients: { js } } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats }))
  const log = options.log ?? makeLogger(settings, "offline-detector")
  const timeoutMs = settings.heartbeatTimeoutSeconds * 1_000
  const scanIntervalMs = options.scanIntervalMs ?? Math.min(30_000, Math.max(1_000, timeoutMs / 6))
  const names = naming(settings.namespace)
  const prefix = `${names.namespace}.telemetry.`
  const watch = new Watch(timeoutMs)
  // One command at a time per kiosk: a burst of heartbeats or a slow tick must not pile up the same command.
  const inFlight = new Set<string>()

  const apply = async (command: Command) => {
    if (inFlight.has(command.kioskId)) return
    inFlight.add(command.kioskId)
    const context: CommandContext = { actor: systemActor("offline-detector"), correlationId: newId("cor") }
    try {
      const result = await runtime.runPromise(Effect.result(command.type === "mark-online"
        ? markKioskOnline(command.kioskId, command.at, context)
        : markKioskOffline(command.kioskId, command.lastSeenAt, context)))
      if (Result.isSuccess(result)) {
        const { kiosk, changed } = result.success
        const belief: Belief = kiosk.status === "decommissioned" ? "gone" : kiosk.connectivity
        watch.learned(command.kioskId, belief)
        transitions.inc({ kind: command.type, effect: changed ? "changed" : "already" })
        if (changed) log.info({ kioskId: command.kioskId, connectivity: kiosk.connectivity }, command.type === "mark-offline" ? "kiosk went offline" : "kiosk came online")
      } else if (result.failure._tag === "NotFound") {
        // Heartbeats from a kiosk the registry does not know: nothing to mark, ever.
        watch.learned(command.kioskId, "gone")
      } else {
        log.warn({ kioskId: command.kioskId, command: command.type, error: result.failure.message }, "kiosk command failed; tried again later")
      }
    } catch (error) {
      log.warn({ kioskId: command.kioskId, command: command.type, err: error }, "kiosk command failed; tried again later")
    } finally {
      inFlight.delete(command.kioskId)
    }
  }

  // An ordered consumer: ephemeral, from each kiosk's latest heartbeat, recreated by the client after a hiccup.
  const consumer = await js.consumers.get(names.stream("TELEMETRY"), {
    deliver_policy: DeliverPolicy.LastPerSubject,
    filter_subjects: names.streamSubjects("TELEMETRY"),
  })
  const heartbeats = await consumer.consume()
  let followed = true
  const following = (async () => {
    for await (const msg of heartbeats) {
      // The server's receive time, not the device's clock, says when the kiosk was last heard from.
      const receivedAt = msg.time.getTime()
      const command = watch.heartbeat(msg.subject.slice(prefix.length), receivedAt, Date.now())
      if (command) void apply(command)
    }
  })().catch((error: unknown) => log.error({ err: error }, "heartbeat feed ended")).finally(() => { followed = false })

  const scan = setInterval(() => {
    for (const command of watch.due(Date.now())) void apply(command)
  }, scanIntervalMs)
  log.info({ timeoutMs, scanIntervalMs }, "offline detector started")

  return {
    readiness: async () => ({ heartbeats: condition(followed, "not following the heartbeats") }),
    async stop() {
      clearInterval(scan)
      await heartbeats.close()
      await following
      while (inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    },
  }
}
