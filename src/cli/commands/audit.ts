// `admin-kiosk audit verify|replay|reconcile`: the auditor's tasks on the payment stream itself. Each run is
// recorded on AUDIT as a read of the audit trail (who: the operating-system user running the CLI).
import { userInfo } from "node:os"
import type { AppSettings } from "../../platform/index.ts"
import { CliError, type CliContext, defineCommand, parseOptions, UsageError } from "../command.ts"

const positiveInt = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number (a stream sequence)`)
  return n
}

/** The write side (NATS, the event store) for one command's run, and who runs it. */
async function withAuditSide<A>(ctx: CliContext, run: (side: {
  readonly settings: AppSettings
  readonly runtime: import("effect").ManagedRuntime.ManagedRuntime<import("../../commands/index.ts").WriteSide, unknown>
  readonly actor: import("../../commands/index.ts").Actor
}) => Promise<A>): Promise<A> {
  const settings = await ctx.settings()
  const { ManagedRuntime } = await import("effect")
  const { writeSideLayer } = await import("../../commands/index.ts")
  const runtime = ManagedRuntime.make(writeSideLayer(settings, "cli-audit"))
  try {
    return await run({ settings, runtime, actor: { kind: "system", name: `cli:${userInfo().username}` } })
  } finally {
    await runtime.dispose()
  }
}

const verify = defineCommand({
  name: "audit verify",
  summary: "Check PAYMENTS against its MACs and the seals in AUDIT; exit 1 on any finding",
  usage: `Usage: admin-kiosk audit verify [--from SEQ] [--json]

Walks PAYMENTS in order and the seals the sealer appended to AUDIT, and reports, with the stream
sequence: a message whose MAC fails or is missing (published around the edge by someone with NATS
access), a missing sequence, a seal that the stream no longer matches (a restored or rewritten
stream), a seal that is not validly signed or chained; then the last sealed point. Messages written
before payments carried a MAC are listed as "unsigned (before seal N)", not as failures.

Needs AUDIT_KEY (and AUDIT_KEYS_PREVIOUS for messages signed with retired keys).

Options:
  --from SEQ   report from this sequence (the walk starts at the seal boundary before it)
  --json       print the report as one JSON object

Exit code 0 when nothing was found, 1 on any finding.`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { from: { type: "string" }, json: { type: "boolean", default: false } })
    const fromSeq = positiveInt("from", values.from)
    const { Nats } = await import("../../platform/index.ts")
    const { naming } = await import("../../platform/index.ts")
    const { auditKeys } = await import("../../platform/index.ts")
    const { describeReport, verifyPayments } = await import("../../audit/index.ts")
    const { recordAuditAccess } = await import("../../audit/index.ts")
    const { startProgress } = await import("../progress.ts")
    return withAuditSide(ctx, async ({ settings, runtime, actor }) => {
      const { js, jsm } = await runtime.runPromise(Nats)
      await runtime.runPromise(recordAuditAccess(actor, { what: "verify", range: `seq ${fromSeq ?? 1}-`, kioskId: null }))
      let progress: ReturnType<typeof startProgress> | undefined
      const report = await verifyPayments(js, jsm, naming(settings.namespace), auditKeys(settings), {
        fromSeq,
        signal: ctx.signal,
        onProgress: (seq, last) => {
          progress ??= values.json ? undefined : startProgress({ label: "verify PAYMENTS", total: last, unit: "messages" })
          progress?.update(seq)
        },
      }).finally(() => progress?.stop())
      if (ctx.signal.aborted) throw new CliError("verify interrupted")
      process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${describeReport(report).join("\n")}\n`)
      return report.findingCount === 0 ? 0 : 1
    })
  },
})

export default [verify]
