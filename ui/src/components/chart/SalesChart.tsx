// Daily net sales of one currency as bars — the dashboard's fleet, one kiosk's — optionally followed by a forecast
// (a line with its 80% and 95% bands, and the seasonal-naive baseline as a dashed line) drawn on the same axes.
import { createMemo } from "solid-js"
import type { DailySales } from "../../api/types.ts"
import { formatDay, formatMoney, formatMoneyCompact, t } from "../../i18n/i18n.ts"
import { dailySeries } from "../../sales/series.ts"
import { Chart } from "./Chart.tsx"
import type { ChartData, ChartSeries } from "./model.ts"

/** One forecast day, as GET /ai/predict sends it (minor units). */
export interface ForecastDay { date: string; point: number; lo80: number; hi80: number; lo95: number; hi95: number }

export interface ForecastLabels { point: string; band80: string; band95: string; baseline?: string }

/** The baseline's point forecast for a day (seasonal naive, as GET /ai/predict sends it beside the forecast). */
export interface BaselineDay { date: string; point: number }

/**
 * The days of `history` as bars, then `forecast`'s days (those after the last day of history) as a line with two
 * bands; the line starts on the last day of history so that it joins the bars.
 */
export function salesChartData(
  title: string, history: { days: ReadonlyArray<string>; net: ReadonlyArray<number>; label: string },
  forecast?: { days: ReadonlyArray<ForecastDay>; labels: ForecastLabels; baseline?: ReadonlyArray<BaselineDay> },
): ChartData {
  const lastDay = history.days[history.days.length - 1] ?? ""
  const ahead = (forecast?.days ?? []).filter((d) => d.date > lastDay)
  const x = [...history.days, ...ahead.map((d) => d.date)]
  const pad = (n: number) => Array.from({ length: n }, () => null)
  const bars = { label: history.label, values: [...history.net, ...pad(ahead.length)] }
  if (!forecast || ahead.length === 0) return { title, x, series: [bars] }
  const before = pad(history.days.length - 1)
  const joined = (pick: (d: ForecastDay) => number) => [...before, history.net[history.net.length - 1] ?? null, ...ahead.map(pick)]
  const onlyAhead = (pick: (d: ForecastDay) => number) => [...pad(history.days.length), ...ahead.map(pick)]
  return {
    title,
    x,
    series: [
      bars,
      { label: forecast.labels.point, values: joined((d) => d.point), style: "line", tone: "forecast" },
      ...(forecast.baseline ? [baselineSeries(forecast.baseline, x, history.days.length, forecast.labels.baseline ?? "")] : []),
    ],
    bands: [
      { label: forecast.labels.band95, lower: onlyAhead((d) => d.lo95), upper: onlyAhead((d) => d.hi95), tone: "forecast", opacity: 0.12 },
      { label: forecast.labels.band80, lower: onlyAhead((d) => d.lo80), upper: onlyAhead((d) => d.hi80), tone: "forecast", opacity: 0.28 },
    ],
  }
}

/** The baseline on the forecast's days only (null elsewhere), dashed. */
function baselineSeries(days: ReadonlyArray<BaselineDay>, x: ReadonlyArray<string>, historyLength: number, label: string): ChartSeries {
  const point = new Map(days.map((d) => [d.date, d.point]))
  return { label, values: x.map((date, i) => (i < historyLength ? null : point.get(date) ?? null)), style: "line", tone: "baseline", dashed: true }
}

export function SalesChart(props: {
  title: string
  rows: ReadonlyArray<DailySales>
  currency: string
  days: ReadonlyArray<string>
  forecast?: ReadonlyArray<ForecastDay>
  baseline?: ReadonlyArray<BaselineDay>
  height?: number
}) {
  const data = createMemo(() => salesChartData(
    `${props.title} (${props.currency})`,
    { days: props.days, net: dailySeries(props.rows, props.currency, props.days), label: t("chart.value") },
    props.forecast && {
      days: props.forecast, baseline: props.baseline,
      labels: { point: t("chart.forecast"), band80: t("chart.band80"), band95: t("chart.band95"), baseline: t("forecast.baseline") },
    },
  ))
  return (
    <Chart title={data().title} x={data().x} series={data().series} bands={data().bands} height={props.height}
      formatValue={(value) => formatMoney(Math.round(value), props.currency)}
      formatAxisValue={(value) => formatMoneyCompact(Math.round(value), props.currency)}
      formatX={formatDay} />
  )
}
