// The notifier process: two durable consumers turn payments and kiosk events into notification requests, a third
// delivers what NOTIFICATIONS asks for. Any number of instances may run; the store's concurrency control keeps
// each notification's record consistent.
import { hostname } from "node:os"
import type { JsMsg } from "@nats-io/jetstream"
import { Effect, type ManagedRuntime } from "effect"
import {
  decodeStored, EventStore, type RetryPolicy, systemActor, type WriteSide,
} from "../../commands/index.ts"
import {
  condition, type Logger, makeLogger, Nats, type Readiness, Settings, type StreamKey,
} from "../../platform/index.ts"
import { Db, DbPools } from "../../projections/index.ts"
import { makeChannels, openOutbox } from "./channels/index.ts"
import { ack, ensureDurable, runConsumer, type RunningConsumer, type Verdict } from "./consumer.ts"
import { deliverNotification, type DeliveryDeps } from "./delivery.ts"
import { Recipients } from "./recipients.ts"
import { makeRecipients } from "./recipientsLive.ts"
import { requestNotificationsFor } from "./requests.ts"

export interface NotifierOptions {
  /** Notifications delivered at once by this instance. Default 16. */
  readonly concurrency?: number | undefined
  readonly log?: Logger | undefined
}

export interface RunningNotifier {
  /** One line per channel: its provider, or the outbox and why. */
  readonly channels: ReadonlyArray<string>
  /** Ready = each of its durable consumers is bound. */
  readonly readiness: Readiness
  /** Stops consuming, lets deliveries in hand finish, releases connections. */
  stop(): Promise<void>
}

const TRIGGERS = new Set(["NotificationRequested", "NotificationRetryRequested"])
const SOURCE_ACK_WAIT_MS = 30_000

/** Starts on the process's runtime, which outlives it; its reads use a pool of its own ("notifier"). */
export async function startNotifier(runtime: ManagedRuntime.ManagedRuntime<WriteSide | DbPools, unknown>, options: NotifierOptions = {}): Promise<RunningNotifier> {
  const { settings, clients: { js, jsm }, store, pools } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, store: EventStore, pools: DbPools }))
  const log = options.log ?? makeLogger(settings, "notifier")
  const db = pools.forRole("notifier")
  const recipients = await runtime.runPromise(Effect.provideService(makeRecipients, Db, db))
  const run = <A, E>(effect: Effect.Effect<A, E, WriteSide | Recipients | Db>) =>
    runtime.runPromise(effect.pipe(Effect.provideService(Recipients, recipients), Effect.provideService(Db, db)))
  const running: Array<RunningConsumer> = []
  try {
    const names = store.naming
    const channels = makeChannels(settings, await openOutbox(js, names, settings.streamReplicas))
    for (const line of channels.summary) log.info(line)

    const policy: RetryPolicy = {
      maxAttempts: settings.notifyMaxAttempts, backoffBaseMs: settings.notifyRetryBaseMs, backoffMaxMs: settings.notifyRetryMaxMs,
    }
    const leaseMs = 2 * settings.notifySendTimeoutMs
    const deps: DeliveryDeps = {
      channels: channels.byName, policy, leaseMs, sendTimeoutMs: settings.notifySendTimeoutMs,
      worker: `${hostname()}:${process.pid}`, log,
    }
    const concurrency = options.concurrency ?? 16

    const decode = (key: StreamKey, msg: JsMsg) => decodeStored(msg.data, { stream: key, subject: msg.subject, seq: msg.seq })

    const requestsFrom = async (key: "PAYMENTS" | "KIOSKS"): Promise<RunningConsumer> => {
      const spec = { stream: names.stream(key), durable: names.consumer("worker", `notifier_${key.toLowerCase()}`), filterSubject: names.streamSubjects(key), ackWaitMs: SOURCE_ACK_WAIT_MS }
      await ensureDurable(jsm, spec)
      return runConsumer(js, spec, async (msg): Promise<Verdict> => {
        await run(requestNotificationsFor({ largePaymentAlertMinor: settings.largePaymentAlertMinor }, decode(key, msg)))
        return ack
      }, { concurrency, ackWaitMs: spec.ackWaitMs, log })
    }

    // Ack-wait outlives a claim's lease, so a message is only offered again once its attempt can be resolved.
    const deliverySpec = {
      stream: names.stream("NOTIFICATIONS"), durable: names.consumer("worker", "notifier_delivery"),
      filterSubject: names.streamSubjects("NOTIFICATIONS"), ackWaitMs: leaseMs + 2_000,
    }
    await ensureDurable(jsm, deliverySpec)
    running.push(await runConsumer(js, deliverySpec, async (msg): Promise<Verdict> => {
      const stored = decode("NOTIFICATIONS", msg)
      const trigger = stored.recorded.find((e) => TRIGGERS.has(e.type))
      // Our own progress events (attempt started, sent…) need nothing: the trigger's handling moves the record on.
      if (trigger === undefined) return ack
      const notificationId = (trigger.data as { notificationId: string }).notificationId
      const context = { actor: systemActor("notifier"), correlationId: trigger.correlationId, causationId: trigger.id }
      return run(deliverNotification(deps, notificationId, context))
    }, { concurrency, ackWaitMs: deliverySpec.ackWaitMs, log }))
    running.push(await requestsFrom("PAYMENTS"), await requestsFrom("KIOSKS"))
    log.info({ concurrency, leaseMs, maxAttempts: policy.maxAttempts }, "notifier started")

    return {
      channels: channels.summary,
      readiness: async () => Object.fromEntries(running.map((r) => [`consumer:${r.durable}`, condition(r.bound(), "consumer not bound")])),
      async stop() {
        await Promise.all(running.map((r) => r.stop()))
        await channels.close()
      },
    }
  } catch (error) {
    await Promise.allSettled(running.map((r) => r.stop()))
    throw error
  }
}
