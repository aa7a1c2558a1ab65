// `admin-kiosk audit verify|replay|reconcile`: the auditor's tasks on the payment stream itself. Each run is
// recorded on AUDIT as a read of the audit trail (who: the operating-system user running the CLI).
import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { finished } from "node:stream/promises"
import { userInfo } from "node:os"
import type { AppSettings } from "../../platform/index.ts"
import { CliError, type CliContext, type CliRuntime, defineCommand, parseOptions, UsageError } from "../command.ts"

const positiveInt = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number (a stream sequence)`)
  return n
}

/** The process's runtime and its NATS clients and event store for one command's run, and who runs it. */
async function withAuditSide<A>(ctx: CliContext, run: (side: {
  readonly settings: AppSettings
  readonly runtime: CliRuntime
  readonly clients: import("../../platform/index.ts").NatsClients
  readonly store: import("../../commands/index.ts").EventStoreShape
  readonly actor: import("../../commands/index.ts").Actor
}) => Promise<A>): Promise<A> {
  const [{ Effect }, { EventStore }, { Nats, Settings }] = await Promise.all([
    import("effect"), import("../../commands/index.ts"), import("../../platform/index.ts"),
  ])
  const runtime = await ctx.runtime()
  const side = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, store: EventStore }))
  return run({ ...side, runtime, actor: { kind: "system", name: `cli:${userInfo().username}` } })
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
    const { naming } = await import("../../platform/index.ts")
    const { auditKeys } = await import("../../platform/index.ts")
    const { describeReport, verifyPayments } = await import("../../audit/index.ts")
    const { recordAuditAccess } = await import("../../audit/index.ts")
    const { startProgress } = await import("../progress.ts")
    return withAuditSide(ctx, async ({ settings, runtime, clients: { js, jsm }, store, actor }) => {
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
      await runtime.runPromise(store.append("AUDIT", store.naming.subject.audit("verifications"), [{ type: "PaymentsVerified", data: {
        fromSeq: report.fromSeq, lastSeq: report.lastSeq, checked: report.checked, findingCount: report.findingCount,
        lastSealedSeq: report.lastSealed?.toSeq ?? null,
      } }], { expectedVersion: "any", context: { actor, correlationId: `verify-${Date.now()}` } }))
      process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${describeReport(report).join("\n")}\n`)
      return report.findingCount === 0 ? 0 : 1
    })
  },
})

/** A --from/--to value: a stream sequence (digits) or a UTC day / instant. */
function boundArg(name: string, value: string | undefined, end: boolean): { seq?: number; time?: string } {
  if (value === undefined) return {}
  if (/^\d+$/.test(value)) return { seq: positiveInt(name, value)! }
  const day = /^\d{4}-\d\d-\d\d$/.test(value)
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value)
  if (!/^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?Z)?$/.test(value) || Number.isNaN(ms)) {
    throw new UsageError(`--${name} must be a stream sequence, a UTC day (2026-03-01) or an instant (2026-03-01T10:00:00Z)`)
  }
  return { time: new Date(day && end ? ms + 86_400_000 : ms).toISOString() }
}

const replay = defineCommand({
  name: "audit replay",
  summary: "Write PAYMENTS itself as CSV or NDJSON rows, for a range of sequences or times, with a progress bar",
  usage: `Usage: admin-kiosk audit replay [--from X] [--to Y] [--recorded] [--kiosk ID|CODE] [--format csv|ndjson] [--out FILE]

Reads the PAYMENTS stream (not a read model) and writes one row per payment or refund: seq, recorded_at,
occurred_at, type, kiosk_id, kiosk_name (as it was then), payment_id, amount (minor units and decimal in CSV),
currency, refund_id, actor, correlation_id. Memory stays flat however long the range.

Options:
  --from X, --to Y   a stream sequence (both inclusive) or a UTC day / instant (from inclusive; a day "to"
                     includes that day, an instant is exclusive). Times are business time (when the kiosk
                     took the payment; a refund's is when it was recorded)…
  --recorded         …or, with this flag, recorded time
  --kiosk ID|CODE    one kiosk
  --format F         csv (default) or ndjson
  --out FILE         write to FILE (default stdout); a progress bar shows on stderr

The read is recorded on AUDIT (the operating-system user, the range).`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      from: { type: "string" }, to: { type: "string" }, recorded: { type: "boolean", default: false },
      kiosk: { type: "string" }, format: { type: "string", default: "csv" }, out: { type: "string" },
    })
    if (values.format !== "csv" && values.format !== "ndjson") throw new UsageError("--format must be csv or ndjson")
    const from = boundArg("from", values.from, false)
    const to = boundArg("to", values.to, true)
    const { kioskIdFor } = await import("../../commands/index.ts")
    const kioskId = values.kiosk === undefined ? undefined : /^[a-z]{2,4}_[0-9a-z]{8,64}$/.test(values.kiosk) ? values.kiosk : kioskIdFor(values.kiosk)
    const range = {
      fromSeq: from.seq, toSeq: to.seq, kioskId,
      ...(values.recorded ? { recordedFrom: from.time, recordedTo: to.time } : { from: from.time, to: to.time }),
    }
    const { naming } = await import("../../platform/index.ts")
    const { describeRange, recordAuditAccess, replayCsvHeader, replayCsvLine, replayJsonLine, replayPayments } = await import("../../audit/index.ts")
    const { startProgress } = await import("../progress.ts")
    return withAuditSide(ctx, async ({ settings, runtime, clients, actor }) => {
      await runtime.runPromise(recordAuditAccess(actor, { what: "replay", range: describeRange(range), kioskId: kioskId ?? null }))
      const out = values.out === undefined ? process.stdout : createWriteStream(values.out)
      const csv = values.format === "csv"
      let progress: ReturnType<typeof startProgress> | undefined
      let rows = 0
      try {
        if (csv) out.write(replayCsvHeader())
        for await (const row of replayPayments(clients, naming(settings.namespace), range, {
          signal: ctx.signal,
          onProgress: (seq, last) => {
            progress ??= startProgress({ label: "replay PAYMENTS", total: last, unit: "messages" })
            progress.update(seq)
          },
        })) {
          rows++
          if (!out.write(csv ? replayCsvLine(row) : replayJsonLine(row))) await once(out, "drain")
        }
      } finally {
        progress?.stop()
        if (out !== process.stdout) {
          out.end()
          await finished(out)
        }
      }
      if (ctx.signal.aborted) throw new CliError("replay interrupted")
      process.stderr.write(`${rows} rows${values.out === undefined ? "" : ` written to ${values.out}`}\n`)
    })
  },
})

const reconcileCommand = defineCommand({
  name: "audit reconcile",
  summary: "Replayed PAYMENTS against the read model per kiosk, currency and day; exit 1 on any difference",
  usage: `Usage: admin-kiosk audit reconcile [--from DAY] [--to DAY] [--kiosk ID|CODE] [--json]

Reads the payments read model's daily sales (and its payments summed per day) at its checkpoint, replays
PAYMENTS up to that same sequence, and prints every (day, kiosk, currency, field) that differs, with both
values. Days are business days (a payment's occurred_at; a refund's is the day it was recorded), --to
inclusive. Needs NATS and Postgres. The read is recorded on AUDIT.

Exit code 0 when both agree, 1 on any difference.`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      from: { type: "string" }, to: { type: "string" }, kiosk: { type: "string" }, json: { type: "boolean", default: false },
    })
    const day = (name: string, value: string | undefined, end: boolean) => {
      if (value === undefined) return undefined
      if (!/^\d{4}-\d\d-\d\d$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new UsageError(`--${name} must be a UTC day, e.g. 2026-03-01`)
      return end ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : value
    }
    const { kioskIdFor } = await import("../../commands/index.ts")
    const range = {
      fromDay: day("from", values.from, false),
      toDay: day("to", values.to, true),
      kioskId: values.kiosk === undefined ? undefined : /^[a-z]{2,4}_[0-9a-z]{8,64}$/.test(values.kiosk) ? values.kiosk : kioskIdFor(values.kiosk),
    }
    const { withRolePool } = await import("../../projections/index.ts")
    const { describeRange, reconcile, recordAuditAccess } = await import("../../audit/index.ts")
    const runtime = await ctx.runtime()
    await runtime.runPromise(recordAuditAccess({ kind: "system", name: `cli:${userInfo().username}` }, {
      what: "reconciliation", range: describeRange({ from: range.fromDay, to: range.toDay }), kioskId: range.kioskId ?? null,
    }))
    const result = await runtime.runPromise(withRolePool("cli-audit")(reconcile(range, ctx.signal)))
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`)
    else {
      process.stdout.write(`reconciled ${result.rows} day rows through PAYMENTS seq ${result.through_seq}\n`)
      for (const t of result.totals) process.stdout.write(`${t.currency}: replayed net ${t.replayed_net}, read model net ${t.read_model_net}\n`)
      for (const d of result.differences) {
        process.stdout.write(`DIFF ${d.day} ${d.kiosk_id} ${d.currency} ${d.field}: replayed ${d.replayed}, read model ${d.read_model}\n`)
      }
      process.stdout.write(result.differences.length === 0 ? "OK: no differences\n" : `${result.differences.length} differences\n`)
    }
    return result.differences.length === 0 ? 0 : 1
  },
})

export default [verify, replay, reconcileCommand]
