// Delivers one notification, driven by its trigger message (NotificationRequested / NotificationRetryRequested).
//
// Exactly once, step by step, on the notification's own subject `notifications.<id>`:
// 1. claim attempt n: an append with optimistic concurrency and a lease. A second worker, or a redelivered trigger,
//    finds it claimed and comes back when the lease lapses;
// 2. at the last moment before the provider could accept the message (for SMTP: before the end-of-data "."), the
//    adapter calls `handingOver`: while the claim holds, we start appending NotificationHandedOver and the adapter
//    lets the message go in the same turn of the event loop, so the record's write leaves just before the "." does;
// 3. record sent (provider id) or the failure: retry later (back-off, via a delayed nak) or give up.
// After a crash the lease lapses and the next worker resolves the attempt by how far it got (see decide.ts):
// not handed over → nothing can have left us, try again; handed over → the provider may have it: sent, unconfirmed,
// never sent again on its own. Only a crash in the microseconds between the two writes of step 2 is misjudged, and
// then towards "unconfirmed" (visible, retryable by an admin), never towards a second copy.
import { Effect, Fiber, Result } from "effect"
import {
  type CommandContext, EventStore, handleNotification, loadNotification, nextStep, type NotificationCommand, notificationDecider,
  type NotificationEvent, removePushDevice, type RetryPolicy,
} from "../../commands/index.ts"
import { counter, type Logger } from "../../platform/index.ts"
import type { ChannelAdapter, ChannelName, Delivered, DeliveryFailure } from "./channels/index.ts"
import { ack, nak } from "./consumer.ts"
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

/** Steps taken in one handling before handing the message back (each step moves the record on, or reloads it). */
const MAX_STEPS = 12

export const deliverNotification = (deps: DeliveryDeps, notificationId: string, context: CommandContext) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const target = { stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) }
    // The record as we last knew it: loaded once, then kept up to date by our own appends. Only a lost race (someone
    // else appended) costs a reload; a load is the expensive part of a delivery.
    let { state, version } = yield* loadNotification(notificationId)
    const reload = Effect.gen(function* () {
      ;({ state, version } = yield* loadNotification(notificationId))
    })
    const applied = (events: ReadonlyArray<NotificationEvent>, seq: number) => {
      for (const event of events) state = notificationDecider.evolve(state, event)
      version = seq
    }
    /** One command through the store's `handle`, decided on the known state; "lost" after a race (then reloaded). */
    const step = (command: NotificationCommand) =>
      handleNotification(notificationId, command, context, { known: { state, version }, maxAttempts: 1 }).pipe(
        Effect.map((handled) => {
          if (handled.events.length === 0) return { kind: "nothing" as const }
          ;({ state, version } = handled)
          return { kind: "done" as const, events: handled.events }
        }),
        Effect.catchTag("Conflict", () => reload.pipe(Effect.as({ kind: "lost" as const }))),
        Effect.catchIf((error) => error._tag !== "StoreUnavailable", (refused) => Effect.succeed({ kind: "refused" as const, reason: refused.message })),
      )

    for (let i = 0; i < MAX_STEPS; i++) {
      const now = new Date().toISOString()
      const next = nextStep(state, now)
      if (next.kind === "done" || state.status === "none") return ack
      if (next.kind === "wait") return nak(next.ms)
      if (next.kind === "resolve-abandoned") {
        const resolved = yield* step({ type: "ResolveAbandoned", now, policy: deps.policy })
        if (resolved.kind === "done") {
          deps.log.warn({ notificationId, events: resolved.events.map((e) => e.type) }, "resolved an attempt whose worker stopped")
        }
        continue
      }

      const { request } = state
      const channel = deps.channels[request.channel]
      const claimed = yield* step({ type: "StartAttempt", provider: channel.provider, worker: deps.worker, now, leaseMs: deps.leaseMs })
      // Lost the race for the claim (or it stopped being due): look again.
      if (claimed.kind !== "done" || state.status !== "attempting" || state.current === null) continue
      const afterClaim = state
      const claimSeq = version
      const attempt = state.current.attempt
      const leaseUntil = Date.parse(state.current.leaseUntil)
      const deadline = Date.now() + deps.sendTimeoutMs
      let handOver: Fiber.Fiber<{ readonly seq: number }, unknown> | undefined
      let handOverEvents: ReadonlyArray<NotificationEvent> = []

      // The one write that is not `handle`: decided here, synchronously, on the claimed state and appended at the
      // claim's version with no retry (the lease fences it). `runFork` runs the append up to nats.js before returning
      // and `writeNow` keeps it out of the next turn's batch, so its socket write is a microtask queued before the
      // adapter releases the message. Refuses once this attempt has timed out here, or when the lease would not
      // outlast the provider's answer (another worker may then be about to resolve it).
      const handingOver = (providerKey: string) => {
        const at = Date.now()
        if (at > deadline) throw new Error(`attempt ${attempt} timed out before the hand-over`)
        if (at + deps.sendTimeoutMs > leaseUntil) throw new Error(`attempt ${attempt}'s lease is about to lapse`)
        const decided = notificationDecider.decide({ type: "HandOver", attempt, providerKey }, afterClaim)
        if (Result.isFailure(decided)) throw new Error(decided.failure.message)
        const [first, ...rest] = decided.success
        if (first === undefined) return
        handOverEvents = decided.success
        handOver = Effect.runFork(store.append(target.stream, target.subject, [first, ...rest], { expectedVersion: claimSeq, context, writeNow: true }))
      }

      const outcome = yield* attemptDelivery(deps, request, attempt, handingOver)
      // Settle the hand-over record before recording the outcome, so the decision sees it.
      if (handOver !== undefined) {
        const written = yield* Fiber.join(handOver).pipe(Effect.result)
        if (Result.isSuccess(written)) applied(handOverEvents, written.success.seq)
        else {
          deps.log.error({ notificationId, attempt, error: String(written.failure) }, "hand-over record not confirmed after the message left")
          yield* reload
        }
      }

      const outcomeCommand = (): NotificationCommand => Result.isSuccess(outcome)
        ? { type: "RecordSent", attempt, provider: outcome.success.provider, providerMessageId: outcome.success.providerMessageId }
        : { type: "RecordFailure", attempt, outcome: outcome.failure.outcome, reason: outcome.failure.message, now: new Date().toISOString(), policy: deps.policy }
      let recorded = yield* step(outcomeCommand())
      // Someone appended meanwhile: decide the outcome again against the record as it is now.
      if (recorded.kind === "lost") recorded = yield* step(outcomeCommand())
      if (recorded.kind === "done") countOutcome(request.channel, recorded.events)
      else if (recorded.kind !== "nothing") {
        // Our lease lapsed and another worker resolved the attempt: the record already says what happened.
        deps.log.warn({ notificationId, attempt, outcome: recorded.kind }, "attempt outcome not recorded: no longer ours")
        continue
      }
      if (Result.isFailure(outcome)) {
        deps.log.info({ notificationId, attempt, channel: request.channel, outcome: outcome.failure.outcome, reason: outcome.failure.message }, "delivery attempt failed")
        if (outcome.failure.staleAddress && request.channel === "push" && request.userId !== null) {
          yield* forgetStaleToken(deps, request.userId, request.address, context)
        }
      }
    }
    return nak(1_000)
  })

function countOutcome(channel: ChannelName, events: ReadonlyArray<Pick<NotificationEvent, "type" | "data">>) {
  const event = events[0]
  outcomes.inc({ channel, result: resultLabel(event?.type, event?.data) })
}

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
  handingOver: (providerKey: string) => void,
): Effect.Effect<Result.Result<Delivered, Pick<DeliveryFailure, "outcome" | "message" | "staleAddress">>> {
  let rendered: { subject: string; text: string }
  try {
    rendered = render(request.template, request.language, request.params, request.channel)
  } catch (error) {
    return Effect.succeed(Result.fail({ outcome: "give-up", message: String(error), staleAddress: false }))
  }
  const channel = deps.channels[request.channel]
  return channel.deliver({ notificationId: request.notificationId, channel: request.channel, address: request.address, ...rendered }, { handingOver }).pipe(
    // Past the bound we stop waiting. "Unknown": if the hand-over happened the provider may have it (counted as sent,
    // unconfirmed); if not, a late hand-over is refused (past the deadline) and the adapter sends nothing.
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
