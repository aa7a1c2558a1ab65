// What a chart shows, independent of how it is drawn: the series and bands over one x axis, which x values get a
// label, the colours of each theme, and the text a screen reader (or anyone who opens the table) gets instead.

/** One row of values over the chart's x values (null: no value there, e.g. history before a forecast starts). */
export interface ChartSeries {
  readonly label: string
  readonly values: ReadonlyArray<number | null>
  /** bars (the default) for what happened, a line for an estimate. */
  readonly style?: "bars" | "line"
  readonly tone?: ChartTone
  /** A dashed line: a reference (a baseline forecast) rather than the estimate itself. */
  readonly dashed?: boolean
}

/** A shaded range between two rows (a prediction interval): drawn under the series, listed as "low – high". */
export interface ChartBand {
  readonly label: string
  readonly lower: ReadonlyArray<number | null>
  readonly upper: ReadonlyArray<number | null>
  readonly tone?: ChartTone
  /** How strongly it is shaded, 0–1: a 95% interval lighter than the 80% one inside it. */
  readonly opacity?: number
}

export type ChartTone = "primary" | "forecast" | "negative" | "baseline"

export interface ChartData {
  readonly title: string
  /** One x value per point, oldest first: UTC days "YYYY-MM-DD" or instants, shown through formatX. */
  readonly x: ReadonlyArray<string>
  readonly series: ReadonlyArray<ChartSeries>
  readonly bands?: ReadonlyArray<ChartBand>
}

export interface ChartPalette {
  readonly text: string
  readonly grid: string
  readonly axis: string
  readonly tones: Record<ChartTone, string>
}

/** Tailwind's slate/indigo/amber/red at the shades the rest of the console uses in each theme (WCAG AA on its card). */
export const palettes: Record<"light" | "dark", ChartPalette> = {
  light: {
    text: "#475569", grid: "#e2e8f0", axis: "#94a3b8",
    tones: { primary: "#4f46e5", forecast: "#b45309", negative: "#b91c1c", baseline: "#475569" },
  },
  dark: {
    text: "#cbd5e1", grid: "#334155", axis: "#64748b",
    tones: { primary: "#818cf8", forecast: "#fbbf24", negative: "#f87171", baseline: "#94a3b8" },
  },
}

/** "#rrggbb" at `opacity` as "rgba(…)" (band fills). */
export function withOpacity(hex: string, opacity: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${opacity})`
}

/**
 * The indices that get an x label when `room` labels fit: every k-th, counted back from the newest so that the most
 * recent point (today) always has one.
 */
export function labelledIndices(count: number, room: number): number[] {
  if (count <= 0) return []
  const step = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(room))))
  const indices: number[] = []
  for (let i = count - 1; i >= 0; i -= step) indices.unshift(i)
  return indices
}

/** The y range to draw: always including zero, a little headroom above the largest value (bands included). */
export function yRange(data: ChartData): [number, number] {
  let min = 0
  let max = 0
  const scan = (values: ReadonlyArray<number | null>) => {
    for (const v of values) if (v !== null && Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v) }
  }
  for (const s of data.series) scan(s.values)
  for (const b of data.bands ?? []) { scan(b.lower); scan(b.upper) }
  if (min === 0 && max === 0) return [0, 1]
  const pad = (max - min) * 0.08
  return [min < 0 ? min - pad : 0, max > 0 ? max + pad : 0]
}

export interface SummaryText {
  empty: string
  summary: (params: { title: string; count: number; from: string; to: string; max: string; maxDay: string }) => string
}

/** One sentence for a screen reader: the range and the largest value of the first series. */
export function chartSummary(
  data: ChartData, formatX: (x: string) => string, formatValue: (v: number) => string, text: SummaryText,
): string {
  const first = data.series[0]
  const points = first ? data.x.flatMap((x, i) => { const v = first.values[i]; return v == null ? [] : [{ x, v }] }) : []
  if (points.length === 0) return text.empty
  const top = points.reduce((best, p) => (p.v > best.v ? p : best), points[0]!)
  return text.summary({
    title: data.title,
    count: points.length,
    from: formatX(points[0]!.x),
    to: formatX(points[points.length - 1]!.x),
    max: formatValue(top.v),
    maxDay: formatX(top.x),
  })
}

/** The cells of row `index` after its x label: each series' value, then each band as "low – high" ("" for none). */
export function rowCells(data: ChartData, index: number, formatValue: (v: number) => string): string[] {
  const value = (v: number | null | undefined) => (v == null ? "" : formatValue(v))
  return [
    ...data.series.map((s) => value(s.values[index])),
    ...(data.bands ?? []).map((b) => {
      const lo = b.lower[index]
      const hi = b.upper[index]
      return lo == null || hi == null ? "" : `${formatValue(lo)} – ${formatValue(hi)}`
    }),
  ]
}

/** The point before/after `index` (keyboard arrows), or the first/last one (Home/End); undefined for other keys. */
export function movedIndex(key: string, index: number | null, count: number): number | undefined {
  if (count === 0) return undefined
  const last = count - 1
  switch (key) {
    case "ArrowLeft": return index === null ? last : Math.max(0, index - 1)
    case "ArrowRight": return index === null ? last : Math.min(last, index + 1)
    case "Home": return 0
    case "End": return last
    default: return undefined
  }
}
