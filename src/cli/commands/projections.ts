// `admin-kiosk projections rebuild <name|all>` and `admin-kiosk projections status`: the read models' operator tasks.
import { CliError, defineCommand, parseOptions, UsageError } from "../command.ts"
import { PROJECTION_LIST as NAMES, withReadSide } from "../readSide.ts"
import { printTable } from "../table.ts"

const rebuild = defineCommand({
  name: "projections rebuild",
  summary: "Rebuild a read model (or all) from its stream, swapping it in while the live one keeps running",
  usage: `Usage: admin-kiosk projections rebuild <name|all> [--batch N]

Replays the projection's stream from its first message into shadow tables, catches up with
what arrives meanwhile, then swaps the shadow tables in and sets the checkpoint in one
transaction. Running projectors keep serving and pause only for the swap: nothing is lost,
nothing applied twice.

Projections: ${NAMES}

Options:
  --batch N   messages per shadow transaction (default 2000)

Shows a progress bar (events, events/s, ETA) on a terminal, plain progress lines otherwise,
and one summary line per projection. Exit 1 if another rebuild of the same model is running.`,

  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, { batch: { type: "string" } }, { positionals: true })
    const [target, ...extra] = positionals
    if (target === undefined) throw new UsageError("which projection? give a name or all")
    if (extra.length > 0) throw new UsageError(`one projection at a time (or all), got ${positionals.join(" ")}`)
    const maxBatch = values.batch === undefined ? undefined : Number(values.batch)
    if (maxBatch !== undefined && !(Number.isInteger(maxBatch) && maxBatch > 0)) throw new UsageError("--batch must be a positive integer")

    const { PROJECTION_NAMES, rebuildProjections, RebuildBusy, UnknownProjection } = await import("../../projections/index.ts")
    if (target !== "all" && !PROJECTION_NAMES.includes(target)) throw new UsageError(`no projection named ${target}; choose from ${NAMES} or all`)
    const { startProgress } = await import("../progress.ts")

    await withReadSide(ctx, async (deps) => {
      let bar: { name: string; progress: ReturnType<typeof startProgress> } | undefined
      try {
        const results = await rebuildProjections(deps, target, {
          signal: ctx.signal,
          ...(maxBatch === undefined ? {} : { maxBatch }),
          onProgress: (p) => {
            if (bar?.name !== p.projection) {
              bar?.progress.stop()
              bar = { name: p.projection, progress: startProgress({ label: `rebuild ${p.projection}`, total: p.total, unit: "events" }) }
            }
            bar.progress.setTotal(p.total)
            bar.progress.update(p.done)
          },
        })
        bar?.progress.stop()
        for (const r of results) {
          process.stdout.write(`${r.projection}: ${r.events} events from ${r.messages} messages in ${r.seconds.toFixed(1)} s ` +
            `(${Math.round(r.eventsPerSecond)} events/s), checkpoint ${r.checkpoint}\n`)
        }
      } catch (error) {
        bar?.progress.stop()
        if (error instanceof RebuildBusy || error instanceof UnknownProjection) throw new CliError(error.message)
        throw error
      }
    })
  },
})

const status = defineCommand({
  name: "projections status",
  summary: "Show each read model's checkpoint, its stream's last sequence, the lag and the parked events",
  usage: `Usage: admin-kiosk projections status [--json]

Per projection: the last stream sequence applied to its read model (checkpoint), the
stream's last sequence, the lag between them, and the events parked there (not applied,
waiting for \`admin-kiosk projections parked retry|skip\`). A stream whose last sequence is
below a checkpoint has lost events that were already applied and acknowledged: it is
flagged ALARM and the command exits 1.

Options:
  --json   one JSON array instead of the table`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { json: { type: "boolean", default: false } })
    const { projectionsStatus } = await import("../../projections/index.ts")
    const rows = await withReadSide(ctx, (deps) => projectionsStatus(deps))
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`)
    } else {
      printTable([["projection", "stream", "checkpoint", "stream last", "lag", "parked", ""],
        ...rows.map((r) => [r.name, r.stream, String(r.checkpoint), String(r.streamLastSeq), String(r.lag), String(r.parked),
          r.streamBehind ? "ALARM: stream below checkpoint" : ""])], new Set([2, 3, 4, 5]))
    }
    return rows.some((r) => r.streamBehind) ? 1 : 0
  },
})

export default [rebuild, status]
