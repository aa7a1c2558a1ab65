// A worker's durable pull consumer: created (or brought up to date) at start, messages handled a few at a time,
// each ending in an ack or a nak with a delay. Redelivery after a crash comes from JetStream's ack_wait.
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, JetStreamApiError, type JsMsg } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import type { Logger } from "../../platform/index.ts"

export interface DurableSpec {
  readonly stream: string
  readonly durable: string
  readonly filterSubject: string
  /** How long a delivered message may stay unanswered before JetStream hands it out again. */
  readonly ackWaitMs: number
  readonly maxAckPending?: number | undefined
}

/** What became of a message: done, or "hand it to me (or another instance) again in `delayMs`". */
export type Verdict = { readonly kind: "ack" } | { readonly kind: "nak"; readonly delayMs: number }
export const ack: Verdict = { kind: "ack" }
export const nak = (delayMs: number): Verdict => ({ kind: "nak", delayMs: Math.max(0, Math.round(delayMs)) })

const CONSUMER_NOT_FOUND = 10014

export async function ensureDurable(jsm: JetStreamManager, spec: DurableSpec): Promise<void> {
  const config = {
    durable_name: spec.durable,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    // Attempts are counted (and bounded) in each notification's own record, not by JetStream.
    max_deliver: -1,
    max_ack_pending: spec.maxAckPending ?? 1_000,
  }
  const existing = await jsm.consumers.info(spec.stream, spec.durable).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === CONSUMER_NOT_FOUND) return undefined
    throw error
  })
  if (existing === undefined) {
    // Several instances may start together: an identical add is accepted by the server.
    await jsm.consumers.add(spec.stream, { ...config, deliver_policy: DeliverPolicy.All })
  } else if (existing.config.ack_wait !== config.ack_wait || existing.config.max_ack_pending !== config.max_ack_pending) {
    await jsm.consumers.update(spec.stream, spec.durable, config)
  }
}

export interface RunningConsumer {
  readonly durable: string
  /** True while the consumer is bound and its loop runs (readiness). */
  bound(): boolean
  /** Stops fetching, lets the messages in hand finish (their verdicts are sent), then resolves. */
  stop(): Promise<void>
}

export interface ConsumeOptions {
  /** Messages handled at once (and fetched ahead: no more, so none waits out its ack_wait in a buffer). */
  readonly concurrency: number
  readonly ackWaitMs: number
  readonly log: Logger
  /** Delay before a message whose handler threw is offered again. */
  readonly errorDelayMs?: number | undefined
}

export async function runConsumer(
  js: JetStreamClient,
  spec: Pick<DurableSpec, "stream" | "durable">,
  handle: (msg: JsMsg) => Promise<Verdict>,
  options: ConsumeOptions,
): Promise<RunningConsumer> {
  const consumer = await js.consumers.get(spec.stream, spec.durable)
  const messages = await consumer.consume({ max_messages: options.concurrency })
  const inFlight = new Set<Promise<void>>()
  let ended = false

  const one = async (msg: JsMsg) => {
    // Tell JetStream we are still on it while a slow provider call runs.
    const keepAlive = setInterval(() => msg.working(), Math.max(500, options.ackWaitMs / 3))
    try {
      const verdict = await handle(msg)
      // Fire-and-forget: a lost ack only means a redelivery, which finds the work done.
      if (verdict.kind === "ack") msg.ack()
      else msg.nak(verdict.delayMs)
    } catch (error) {
      options.log.warn({ err: error, subject: msg.subject, seq: msg.seq }, "message handling failed; offered again later")
      msg.nak(options.errorDelayMs ?? 2_000)
    } finally {
      clearInterval(keepAlive)
    }
  }

  const loop = (async () => {
    for await (const msg of messages) {
      const task = one(msg).finally(() => inFlight.delete(task))
      inFlight.add(task)
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight)
    }
  })().catch((error: unknown) => options.log.error({ err: error, durable: spec.durable }, "consumer loop ended"))
    .finally(() => { ended = true })

  return {
    durable: spec.durable,
    bound: () => !ended,
    async stop() {
      await messages.close()
      await loop
      await Promise.allSettled([...inFlight])
    },
  }
}
