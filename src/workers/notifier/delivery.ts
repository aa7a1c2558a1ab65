// Delivers one notification, driven by its trigger message (NotificationRequested / NotificationRetryRequested).
//
// Exactly once, step by step, each step an append with optimistic concurrency on `notifications.<id>`:
// 1. claim attempt n (lease); a second worker, or a redelivered trigger, finds it claimed and waits for the lease;
// 2. the adapter calls `handingOver` at the last moment before the provider can accept: we record it, and only if
//    attempt n is still ours does the adapter let the provider have the message (fencing a worker that lost its lease);
// 3. record sent (provider id) or the failure: retry later (back-off, via a delayed nak) or give up.
// After a crash the lease lapses and the next worker resolves the attempt by how far it got (see decide.ts).
import { Effect, Result } from "effect"
import { type CommandContext, EventStore, removePushDevice } from "../../commands/index.ts"
import { type NotificationCommand, nextStep, notificationDecider, type RetryPolicy } from "../../commands/notification/decide.ts"
import type { Logger } from "../../platform/logger.ts"
import { counter } from "../../platform/metrics.ts"
import type { ChannelAdapter, ChannelName, Delivered, DeliveryFailure } from "./channels/index.ts"
import { ack, nak, type Verdict } from "./consumer.ts"
import { render } from "./templates.ts"

export interface DeliveryDeps {
  readonly channels: Readonly<Record<ChannelName, ChannelAdapter>>
  readonly policy: RetryPolicy
  /** How long a claim holds: longer than one provider call may take. */
  readonly leaseMs: number
  readonly sendTimeoutMs: number
  /** Names this process in the claims it makes (host:pid). */
  readonly worker: string
  readonly log: Logger
}

const outcomes = counter("notifier_deliveries_total", "Delivery attempts by channel and result", ["channel", "result"])

/** Rounds of load → act in one handling, before handing the message back (each round is one step forward). */
const MAX_ROUNDS = 8

export const deliverNotification = (deps: DeliveryDeps, notificationId: string, context: CommandContext) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const target = { stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) }
    const run = (command: NotificationCommand) =>
      store.handle(notificationDecider, target, command, context).pipe(Effect.result)

    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { state } = yield* store.load(notificationDecider, target.stream, target.subject)
      const now = new Date().toISOString()
      const step = nextStep(state, now)
      if (step.kind === "done") return ack
      if (step.kind === "wait") return nak(step.ms)
      if (state.status === "none") return ack
      if (step.kind === "resolve-abandoned") {
        const resolved = yield* run({ type: "ResolveAbandoned", now, policy: deps.policy })
        if (Result.isSuccess(resolved) && resolved.success.events.length > 0) {
          deps.log.warn({ notificationId, events: resolved.success.events.map((e) => e.type) }, "resolved an attempt whose worker stopped")
        }
        continue
      }

      const { request } = state
      const channel = deps.channels[request.channel]
      const claimed = yield* run({ type: "StartAttempt", provider: channel.provider, worker: deps.worker, now, leaseMs: deps.leaseMs })
      // Lost the race for the claim (or it stopped being due): look again.
      if (Result.isFailure(claimed)) continue
      const attempt = claimed.success.state.status === "none" ? 0 : claimed.success.state.attempts

      const outcome = yield* attemptDelivery(deps, request, attempt, (providerKey) =>
        Effect.runPromise(store.handle(notificationDecider, target, { type: "HandOver", attempt, providerKey }, context)).then(() => {}))

      const recorded = Result.isSuccess(outcome)
        ? yield* run({ type: "RecordSent", attempt, provider: outcome.success.provider, providerMessageId: outcome.success.providerMessageId })
        : yield* run({ type: "RecordFailure", attempt, outcome: outcome.failure.outcome, reason: outcome.failure.message, now: new Date().toISOString(), policy: deps.policy })
      if (Result.isFailure(recorded)) {
        // Our lease lapsed and another worker resolved the attempt: the record already says what happened.
        deps.log.warn({ notificationId, attempt, error: recorded.failure.message }, "attempt outcome not recorded: no longer ours")
        continue
      }
      const result = recorded.success.events[0]?.type
      outcomes.inc({ channel: request.channel, result: resultLabel(result, recorded.success.events[0]?.data) })
      if (Result.isFailure(outcome)) {
        deps.log.info({ notificationId, attempt, channel: request.channel, outcome: outcome.failure.outcome, reason: outcome.failure.message }, "delivery attempt failed")
        if (outcome.failure.staleAddress && request.channel === "push" && request.userId !== null) {
          yield* forgetStaleToken(deps, request.userId, request.address, context)
        }
      }
    }
    return nak(1_000)
  })

function resultLabel(type: string | undefined, data: unknown): string {
  if (type === "NotificationSent") return (data as { confirmed?: boolean }).confirmed === false ? "unconfirmed" : "sent"
  if (type === "NotificationAttemptFailed") return "retry"
  if (type === "NotificationFailed") return "failed"
  return "none"
}

/** Renders and hands the message to its channel, bounded in time; never fails, the outcome is the value. */
function attemptDelivery(
  deps: DeliveryDeps,
  request: { readonly notificationId: string; readonly channel: ChannelName; readonly address: string; readonly template: string; readonly language: "en" | "es"; readonly params: Readonly<Record<string, string | number | null>> },
  attempt: number,
  handingOver: (providerKey: string) => Promise<void>,
): Effect.Effect<Result.Result<Delivered, Pick<DeliveryFailure, "outcome" | "message" | "staleAddress">>> {
  let rendered: { subject: string; text: string }
  try {
    rendered = render(request.template, request.language, request.params, request.channel)
  } catch (error) {
    return Effect.succeed(Result.fail({ outcome: "give-up", message: String(error), staleAddress: false }))
  }
  const channel = deps.channels[request.channel]
  return channel.deliver({ notificationId: request.notificationId, channel: request.channel, address: request.address, ...rendered }, { handingOver }).pipe(
    // Past the bound we stop waiting. "Unknown": if the hand-over was recorded the provider may have it (counted as
    // sent, unconfirmed); if not, the late hand-over will find the attempt closed and the adapter sends nothing.
    Effect.timeoutOrElse({
      duration: deps.sendTimeoutMs,
      orElse: () => Effect.fail({ outcome: "unknown" as const, message: `no answer from ${channel.provider} within ${deps.sendTimeoutMs} ms (attempt ${attempt})`, staleAddress: false }),
    }),
    Effect.result,
  )
}

const forgetStaleToken = (deps: DeliveryDeps, userId: string, token: string, context: CommandContext) =>
  removePushDevice(userId, token, "stale", context).pipe(
    Effect.tap(() => Effect.sync(() => deps.log.info({ userId }, "removed a push token FCM no longer knows"))),
    Effect.catch((error) => Effect.sync(() => deps.log.warn({ userId, error: String(error) }, "could not remove a stale push token"))),
    Effect.asVoid,
  )
