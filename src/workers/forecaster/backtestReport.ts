// The forecaster's evidence for an operator: per kiosk and currency (and the fleet), what the forecaster fits from
// the read models as they are now — the method chosen, its rolling-origin MASE beside seasonal naive's, and how
// often the 80% and 95% intervals held the held-out days. Same history, same figures as the stored forecasts.
import type { Kysely } from "kysely"
import { type Database, FLEET, type ForecastRecord, kiosksByCode, readSalesHistory } from "../../projections/index.ts"
import { MAX_HISTORY_DAYS } from "./history.ts"
import { addDays, type MethodName } from "./model/index.ts"
import { forecastRecords } from "./records.ts"

export interface BacktestRow {
  /** The kiosk's code, or "fleet". */
  readonly kiosk: string
  readonly kioskId: string
  readonly currency: string
  readonly status: ForecastRecord["status"]
  readonly method: MethodName | null
  /** The chosen method's MASE, and seasonal naive's over the same origins and days. */
  readonly mase: number | null
  readonly baselineMase: number | null
  readonly coverage80: number | null
  readonly coverage95: number | null
  readonly origins: number
  /** Held-out observed days scored, over every origin. */
  readonly heldOut: number
  readonly observedDays: number
  readonly needDays: number
}

export interface BacktestOptions {
  /** Kiosk codes or ids; all kiosks (and the fleet) when absent. */
  readonly only?: ReadonlyArray<string> | undefined
  /** The history's last day (YYYY-MM-DD), normally yesterday. */
  readonly historyEnd: string
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

export interface BacktestReport {
  readonly rows: ReadonlyArray<BacktestRow>
  /** Asked-for codes or ids that name no kiosk. */
  readonly unknown: ReadonlyArray<string>
}

export async function backtestReport(db: Kysely<Database>, options: BacktestOptions): Promise<BacktestReport> {
  const kiosks = await kiosksByCode(db, options.only)
  const unknown = (options.only ?? []).filter((k) => !kiosks.some((kiosk) => kiosk.code === k || kiosk.kiosk_id === k))
  const targets = [...kiosks.map((k) => ({ kioskId: k.kiosk_id, label: k.code })), ...(options.only === undefined ? [{ kioskId: FLEET, label: "fleet" }] : [])]
  const from = addDays(options.historyEnd, -(MAX_HISTORY_DAYS - 1))
  const rows: Array<BacktestRow> = []
  options.onProgress?.(0, targets.length)
  for (const [done, target] of targets.entries()) {
    const history = await readSalesHistory(db, target.kioskId, from, options.historyEnd)
    for (const record of forecastRecords(history, target.kioskId, options.historyEnd)) {
      const backtest = record.document?.backtest
      rows.push({
        kiosk: target.label, kioskId: target.kioskId, currency: record.currency, status: record.status, method: record.method,
        mase: backtest?.mase ?? null, baselineMase: backtest?.baselineMase ?? null,
        coverage80: backtest?.coverage80 ?? null, coverage95: backtest?.coverage95 ?? null,
        origins: backtest?.origins ?? 0, heldOut: backtest?.heldOut ?? 0, observedDays: record.observedDays, needDays: record.needDays,
      })
    }
    options.onProgress?.(done + 1, targets.length)
  }
  return { rows, unknown }
}
