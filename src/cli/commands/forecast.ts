// `admin-kiosk forecast backtest`: the evidence behind the forecasts, per kiosk and currency — the method the
// rolling-origin backtest chose, its MASE against seasonal naive's, and the 80%/95% intervals' coverage.
import { CliError, defineCommand, parseOptions } from "../command.ts"
import { withReadSide } from "../readSide.ts"
import { printTable } from "../table.ts"

const percent = (share: number | null) => (share === null ? "" : `${(share * 100).toFixed(1)}%`)
const fixed = (value: number | null) => (value === null ? "" : value.toFixed(3))

export default defineCommand({
  name: "forecast backtest",
  summary: "Backtest the forecasts: method chosen, MASE against seasonal naive, 80%/95% interval coverage",
  usage: `Usage: admin-kiosk forecast backtest [--kiosk CODE]… [--json]

Reads each kiosk's daily net takings and offline periods from the read models (history up to
yesterday, UTC), fits them as the forecaster does, and prints per kiosk and currency, and for
the whole fleet: the method chosen (ets, tsb or seasonal_naive), its MASE over the rolling
origins, seasonal naive's MASE over the same held-out days, the share of those days inside the
80% and 95% intervals, the origins and the held-out days scored. A kiosk with too little
history says so ("not enough history (N days, need M)").

MASE scales each error by seasonal naive's one-step in-sample error: below 1 beats "the same
weekday last week". Same history, same figures as the stored forecasts.

Options:
  --kiosk CODE   only this kiosk (its code or id; repeat for several; the fleet is left out)
  --json         one JSON array with every figure instead of the table`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      kiosk: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
    })
    const [{ backtestReport, addDays, dayOf }, { startProgress }] = await Promise.all([
      import("../../workers/forecaster/index.ts"), import("../progress.ts"),
    ])
    const historyEnd = addDays(dayOf(new Date()), -1)
    let progress: ReturnType<typeof startProgress> | undefined
    const report = await withReadSide(ctx, (deps) => backtestReport(deps.db.db, {
      only: values.kiosk, historyEnd,
      onProgress: (done, total) => {
        progress ??= startProgress({ label: "forecast backtest", total, unit: "kiosks", plainEverySeconds: 10 })
        progress.update(done)
      },
    })).finally(() => progress?.stop())
    if (report.unknown.length > 0) throw new CliError(`no kiosk with code or id ${report.unknown.join(", ")}`)
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report.rows)}\n`)
      return
    }
    if (report.rows.length === 0) {
      process.stdout.write("no kiosk has takings yet\n")
      return
    }
    printTable([
      ["kiosk", "currency", "method", "MASE", "naive MASE", "80% cov.", "95% cov.", "origins", "held-out", "days"],
      ...report.rows.map((r) => r.status === "ready"
        ? [r.kiosk, r.currency, r.method ?? "", fixed(r.mase), fixed(r.baselineMase), percent(r.coverage80), percent(r.coverage95),
          String(r.origins), String(r.heldOut), String(r.observedDays)]
        : [r.kiosk, r.currency, `not enough history (${r.observedDays} days, need ${r.needDays})`, "", "", "", "", "", "", String(r.observedDays)]),
    ], new Set([3, 4, 5, 6, 7, 8, 9]))
    const ready = report.rows.filter((r) => r.status === "ready")
    const heldOut = ready.reduce((n, r) => n + r.heldOut, 0)
    if (heldOut > 0) {
      const covered = (key: "coverage80" | "coverage95") => ready.reduce((n, r) => n + (r[key] ?? 0) * r.heldOut, 0) / heldOut
      const better = ready.filter((r) => r.mase !== null && r.baselineMase !== null && r.mase < r.baselineMase).length
      process.stdout.write(`\n${ready.length} series backtested on ${heldOut} held-out days (history to ${historyEnd}): ` +
        `the chosen method beats seasonal naive on ${better}; 80% intervals covered ${percent(covered("coverage80"))}, ` +
        `95% intervals ${percent(covered("coverage95"))}\n`)
    }
  },
})
