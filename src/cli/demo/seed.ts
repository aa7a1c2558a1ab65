// Appends a planned history through the real command handlers (the same deciders, event store and
// idempotency keys as live traffic), so that re-running it with the same seed appends nothing new.
import { Effect } from "effect"
import {
  pairKioskFromItsLabel, type CommandContext, type Currency, kioskIdFor, markKioskOffline, markKioskOnline, recordHeartbeat,
  recordPayment, refundPayment, registerKiosk, registerUser, userIdFor,
} from "../../commands/index.ts"
import { planDemo } from "./synthetic.ts"

export interface SeedOptions {
  readonly kiosks: number
  readonly days: number
  readonly seed: number
  readonly currency: Currency
  readonly operatorPassword: string
  readonly concurrency: number
  readonly until?: Date | undefined
  /** Called as sales are appended: (done, total). */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

/** What this run appended: a rerun over history already there appends (and reports) nothing. */
export interface SeedReport {
  readonly operators: ReadonlyArray<string>
  /** Operators and kiosks created by this run. */
  readonly newOperators: number
  readonly kiosks: number
  readonly payments: number
  readonly refunds: number
  readonly outages: number
  /** Sales of the plan that an earlier run had already recorded. */
  readonly alreadyThere: number
}

export const appendedNothing = (report: SeedReport) =>
  report.newOperators + report.kiosks + report.payments + report.refunds + report.outages === 0

const demoActor: CommandContext = { actor: { kind: "system", name: "demo-seed" }, correlationId: "demo-seed" }

/** Already there from an earlier run is fine: the seed converges instead of failing. True when it was created now. */
const existing = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.as(true), Effect.catchIf((e) => e._tag === "Conflict", () => Effect.succeed(false)))

export const seedDemo = (options: SeedOptions) =>
  Effect.gen(function* () {
    // Nothing after the wall clock: sales, refunds and outages later today are left for a later run.
    const until = options.until ?? new Date()
    const plan = planDemo({ kiosks: options.kiosks, days: options.days, seed: options.seed, currency: options.currency, until })
    const historyDays = Math.ceil((Date.now() - until.getTime()) / 86_400_000) + options.days + 1
    const operators = Array.from({ length: Math.max(1, Math.ceil(options.kiosks / 3)) }, (_, i) => `demo-operator-${i + 1}`)
    let newOperators = 0
    for (const username of operators) {
      if (yield* existing(registerUser({
        username,
        password: options.operatorPassword,
        role: "operator",
        contact: { displayName: `Demo operator ${username.slice(-1)}`, email: `${username}@example.com` },
      }, demoActor))) newOperators++
    }
    const created = new Set<string>()
    for (const kiosk of plan) {
      if (yield* existing(registerKiosk({ code: kiosk.code, name: kiosk.name, location: kiosk.location }, demoActor))) created.add(kiosk.code)
      const operatorId = userIdFor(operators[kiosk.index % operators.length]!)
      yield* pairKioskFromItsLabel(kiosk.code, operatorId, { ...demoActor, actor: { kind: "user", id: operatorId, role: "operator" } })
    }

    const total = plan.reduce((n, k) => n + k.sales.length, 0)
    let done = 0
    let payments = 0
    let refunds = 0
    // Kiosks run side by side, each sending a few sales at a time, as a fleet would.
    yield* Effect.forEach(plan, (kiosk) => {
      const kioskId = kioskIdFor(kiosk.code)
      const asKiosk: CommandContext = { actor: { kind: "kiosk", id: kioskId }, correlationId: `demo-seed-${kiosk.code}` }
      return Effect.gen(function* () {
        let appended = created.has(kiosk.code)
        // Outage transitions are not idempotent by key, so only a kiosk created by this run gets them.
        for (const outage of created.has(kiosk.code) ? kiosk.outages : []) {
          yield* markKioskOffline(kioskId, outage.lastSeenAt, demoActor)
          yield* markKioskOnline(kioskId, outage.backAt, demoActor)
        }
        yield* Effect.forEach(kiosk.sales, (sale) =>
          Effect.gen(function* () {
            // History older than a kiosk's forwarding window: the seed imports it, as only an importer may.
            const { payment, replayed } = yield* recordPayment({
              kioskId, amount: sale.amount, currency: options.currency, occurredAt: sale.occurredAt, idempotencyKey: sale.key,
              maxAgeDays: historyDays,
            }, asKiosk)
            if (!replayed) { payments++; appended = true }
            if (sale.refund) {
              const refund = yield* refundPayment(payment.id, {
                amount: sale.refund.amount, reason: "demo", idempotencyKey: sale.refund.key, refundedAt: { at: sale.refund.at, maxAgeDays: historyDays },
              }, demoActor)
              if (refund.appended) { refunds++; appended = true }
            }
            options.onProgress?.(++done, total)
          }), { concurrency: Math.max(1, Math.floor(options.concurrency / plan.length)), discard: true })
        // A kiosk that took new sales is seen now; a rerun with nothing new leaves its telemetry alone too.
        if (appended) yield* recordHeartbeat(kioskId, { appVersion: "demo" }, asKiosk)
      })
    }, { concurrency: options.concurrency, discard: true })

    return {
      operators,
      newOperators,
      kiosks: created.size,
      payments,
      refunds,
      outages: plan.reduce((n, k) => n + (created.has(k.code) ? k.outages.length : 0), 0),
      alreadyThere: total - payments,
    } satisfies SeedReport
  })
