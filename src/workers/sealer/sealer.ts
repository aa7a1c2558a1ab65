// The sealer: reads PAYMENTS in order and appends to AUDIT, every SEAL_EVERY_EVENTS messages or SEAL_EVERY_SECONDS
// (when anything is new), a seal: the range, its count, the running digest chained to the previous seal, signed
// with the audit key. Where it resumes comes from the last stored seal, never from memory, and each seal is
// appended expecting the seals subject's last sequence: a sealer killed mid-range, a restart, or two sealers at
// once leave no gap and no seal twice (the loser of a race starts over from the winner's seal).
import { Effect, type ManagedRuntime } from "effect"
import { type CommandContext, EventStore, systemActor, type WriteSide } from "../../commands/index.ts"
import {
  auditKeys, condition, counter, gauge, type Logger, makeLogger, naming, Nats, newId, type Readiness, Settings,
} from "../../platform/index.ts"
import { lastSeal, OpenRange, readLog, sealMacInput } from "../../audit/index.ts"

export interface SealerOptions {
  readonly log?: Logger | undefined
}

export interface RunningSealer {
  /** Ready = following PAYMENTS from the last seal. */
  readonly readiness: Readiness
  stop(): Promise<void>
}

const seals = counter("audit_seals_total", "Seals the sealer appended to AUDIT, by outcome", ["outcome"])
const sealedSeq = gauge("audit_sealed_seq", "The last PAYMENTS sequence covered by a seal")
const openEvents = gauge("audit_unsealed_events", "PAYMENTS messages read since the last seal")

const RETRY_MS = 1_000

/** Starts on the process's runtime, which outlives it: stopping the sealer leaves NATS to the runtime's owner. */
export async function startSealer(runtime: ManagedRuntime.ManagedRuntime<WriteSide, unknown>, options: SealerOptions = {}): Promise<RunningSealer> {
  const { settings, clients: { js, jsm }, store } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, store: EventStore }))
  const log = options.log ?? makeLogger(settings, "sealer")
  const names = naming(settings.namespace)
  const subject = names.subject.audit("seals")
  const keys = auditKeys(settings)
  let stopping = false
  let following = false
  let round: AbortController | undefined

  /** One pass: from the last stored seal, follow PAYMENTS and seal until an append fails or we stop. */
  const pass = async () => {
    const controller = new AbortController()
    round = controller
    const last = await lastSeal(jsm, names)
    let expectedVersion = last?.auditSeq ?? 0
    let range = new OpenRange((last?.seal.sealNo ?? 0) + 1, (last?.seal.toSeq ?? 0) + 1, last?.seal.digest ?? "0".repeat(64), last?.seal.signedSince ?? null)
    sealedSeq.set(range.fromSeq - 1)
    let queue = Promise.resolve()
    let failed: unknown

    const seal = () => {
      if (range.count === 0 || failed !== undefined) return
      const fields = range.fields()
      range = new OpenRange(fields.sealNo + 1, fields.toSeq + 1, fields.digest, fields.signedSince)
      openEvents.set(0)
      queue = queue.then(async () => {
        if (failed !== undefined) return
        const { keyId, mac } = keys.mac(sealMacInput(fields))
        const context: CommandContext = { actor: systemActor("sealer"), correlationId: newId("cor") }
        const appended = await runtime.runPromise(store.append("AUDIT", subject, [{ type: "PaymentsSealed", data: { ...fields, keyId, mac } }], {
          expectedVersion, context,
        })).catch((error: unknown) => {
          failed = error
          seals.inc({ outcome: "failed" })
          controller.abort()
          return undefined
        })
        if (appended === undefined) return
        expectedVersion = appended.seq
        sealedSeq.set(fields.toSeq)
        seals.inc({ outcome: "sealed" })
        log.info({ sealNo: fields.sealNo, fromSeq: fields.fromSeq, toSeq: fields.toSeq, count: fields.count }, "payments sealed")
      })
    }

    const timer = setInterval(seal, settings.sealEverySeconds * 1_000)
    try {
      following = true
      const stream = names.stream("PAYMENTS")
      for await (const message of readLog(js, jsm, stream, { fromSeq: range.fromSeq, toSeq: Number.POSITIVE_INFINITY, signal: controller.signal })) {
        range.add(message)
        openEvents.set(range.count)
        if (range.count >= settings.sealEveryEvents) seal()
      }
    } finally {
      following = false
      clearInterval(timer)
      if (stopping) seal()
      await queue
    }
    if (failed !== undefined) {
      const lost = failed instanceof Error && failed.name === "WrongExpectedVersion"
      log[lost ? "info" : "warn"]({ err: failed }, lost ? "another sealer sealed first; resuming from its seal" : "sealing failed; resuming from the last seal")
    }
  }

  const running = (async () => {
    while (!stopping) {
      await pass().catch((error: unknown) => log.warn({ err: error }, "sealer pass failed; retrying"))
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
    }
  })()
  log.info({ everyEvents: settings.sealEveryEvents, everySeconds: settings.sealEverySeconds, keyId: keys.currentId }, "sealer started")

  return {
    readiness: async () => ({ payments: condition(following, "not following PAYMENTS") }),
    async stop() {
      stopping = true
      round?.abort()
      await running
    },
  }
}
