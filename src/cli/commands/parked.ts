// `admin-kiosk projections parked [retry|skip]`: the events a projection could not apply for a permanent reason
// (it parked them and moved on), and the operator's decision about each: re-apply it after a fix, or skip it.
import { userInfo } from "node:os"
import { CliError, defineCommand, parseOptions, UsageError } from "../command.ts"
import { PROJECTION_LIST, withReadSide } from "../readSide.ts"
import { printTable } from "../table.ts"

const MAX_TEXT = 500

/** Who runs the command, unless --by says otherwise. */
function operator(by: string | undefined): string {
  const name = by ?? (() => {
    try {
      return userInfo().username
    } catch {
      return process.env.USER ?? "unknown"
    }
  })()
  return text(name, "--by")
}

/** Free text from the command line, as it will be stored: trimmed, no control characters, bounded. */
function text(value: string, option: string): string {
  const trimmed = value.normalize("NFC").trim()
  if (trimmed === "") throw new UsageError(`${option} must not be empty`)
  if (/[\p{Cc}]/u.test(trimmed) || !trimmed.isWellFormed()) throw new UsageError(`${option} must not contain control characters`)
  if ([...trimmed].length > MAX_TEXT) throw new UsageError(`${option} must be at most ${MAX_TEXT} characters`)
  return trimmed
}

async function projectionName(name: string): Promise<string> {
  const { PROJECTION_NAMES } = await import("../../projections/index.ts")
  if (!PROJECTION_NAMES.includes(name)) throw new UsageError(`no projection named ${name}; choose from ${PROJECTION_LIST}`)
  return name
}

/** `<projection> <seq>` positionals, checked before anything connects. */
async function target(positionals: ReadonlyArray<string>): Promise<{ projection: string; seq: number }> {
  const [projection, seqText, ...extra] = positionals
  if (projection === undefined || seqText === undefined) throw new UsageError("give a projection and a sequence, e.g. users 42")
  if (extra.length > 0) throw new UsageError(`one parked event at a time, got ${positionals.join(" ")}`)
  const seq = Number(seqText)
  if (!/^[1-9]\d{0,15}$/u.test(seqText) || !Number.isSafeInteger(seq)) throw new UsageError(`the sequence must be a positive integer, got ${seqText}`)
  return { projection: await projectionName(projection), seq }
}

/** The read side's expected refusals, as one line and exit 1. */
async function asCliError(error: unknown): Promise<never> {
  const { NotParked, ParkedAlreadyResolved, StillParked } = await import("../../projections/index.ts")
  if (error instanceof NotParked || error instanceof ParkedAlreadyResolved || error instanceof StillParked) throw new CliError(error.message)
  throw error
}

const list = defineCommand({
  name: "projections parked",
  summary: "List the events projections parked (could not apply) and what was decided about each",
  usage: `Usage: admin-kiosk projections parked [--projection NAME] [--open] [--json]

An event a projection cannot apply for a permanent reason (a value Postgres refuses, a
message that does not decode) is parked: recorded with its error, counted in the metric
projection_parked_events and logged, while the projection moves on. Each one waits for
\`projections parked retry\` (after a fix) or \`projections parked skip\`.

Options:
  --projection NAME   only this projection's (${PROJECTION_LIST})
  --open              only those still waiting for a decision
  --json              one JSON array with every column instead of the table`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      projection: { type: "string" },
      open: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    })
    if (values.projection !== undefined) await projectionName(values.projection)
    const { listParked } = await import("../../projections/index.ts")
    const all = await withReadSide(ctx, (deps) => listParked(deps, values.projection))
    const rows = values.open ? all.filter((r) => r.resolution === null) : all
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`)
      return
    }
    if (rows.length === 0) {
      process.stdout.write(`no ${values.open ? "open " : ""}parked events\n`)
      return
    }
    printTable([["projection", "seq", "event", "first seen", "attempts", "state", "by", "reason", "error"],
      ...rows.map((r) => [r.projection, String(r.seq), r.event_types || "?", r.first_seen_at.slice(0, 19), String(r.attempts),
        r.resolution ?? "open", r.resolved_by ?? "", r.reason ?? "", `${r.error_code}: ${r.error}`])], new Set([1, 4]))
  },
})

const retry = defineCommand({
  name: "projections parked retry",
  summary: "Apply a parked event again (after the fix that lets it apply)",
  usage: `Usage: admin-kiosk projections parked retry <projection> <seq> [--by NAME] [--reason TEXT]

Reads the event from its stream again and applies it on top of the read model. When it
applies, it is marked retried (by you, with the reason if given). When it fails again, it
stays parked with one more attempt counted, and the command exits 1.

Applied this late, it comes after the later events of the same aggregate: the command
says so when there are any, and \`projections rebuild <projection>\` then replays everything
in order.

Options:
  --by NAME       who decided (default: the operating-system user)
  --reason TEXT   why, recorded with the decision`,

  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, { by: { type: "string" }, reason: { type: "string" } }, { positionals: true })
    const { projection, seq } = await target(positionals)
    const decision = { by: operator(values.by), reason: values.reason === undefined ? undefined : text(values.reason, "--reason") }
    const { retryParked } = await import("../../projections/index.ts")
    const result = await withReadSide(ctx, (deps) => retryParked(deps, projection, seq, decision)).catch(asCliError)
    process.stdout.write(`${projection} #${seq}: applied (${result.events} events), marked retried by ${decision.by}\n`)
    if (result.laterOnSubject !== undefined) {
      process.stdout.write(`note: later events of the same aggregate (up to #${result.laterOnSubject}) were applied before it; ` +
        `run \`admin-kiosk projections rebuild ${projection}\` to replay them in order\n`)
    }
  },
})

const skip = defineCommand({
  name: "projections parked skip",
  summary: "Leave a parked event out of its read model for good, with a recorded reason",
  usage: `Usage: admin-kiosk projections parked skip <projection> <seq> --reason TEXT [--by NAME]

Marks the parked event skipped: it stays out of the read model, rebuilds included, and
the reason and who decided are kept (shown by \`projections parked\`).

Options:
  --reason TEXT   why (required)
  --by NAME       who decided (default: the operating-system user)`,

  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, { by: { type: "string" }, reason: { type: "string" } }, { positionals: true })
    const { projection, seq } = await target(positionals)
    if (values.reason === undefined) throw new UsageError("--reason is required: say why the event is skipped")
    const decision = { by: operator(values.by), reason: text(values.reason, "--reason") }
    const { skipParked } = await import("../../projections/index.ts")
    await withReadSide(ctx, (deps) => skipParked(deps, projection, seq, decision)).catch(asCliError)
    process.stdout.write(`${projection} #${seq}: skipped by ${decision.by}\n`)
  },
})

export default [list, retry, skip]
