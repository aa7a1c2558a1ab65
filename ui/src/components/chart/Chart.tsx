// The console's one chart (uPlot on a canvas): bars and lines over a shared x axis, shaded bands (prediction
// intervals), y and x axes with formatted values, a tooltip under the pointer or the arrow keys, a legend, the
// colours of the current theme, the width of its container — and, for whoever does not see the canvas, a sentence
// as its accessible name and the same numbers as a table.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js"
import type uPlot from "uplot"
import "uplot/dist/uPlot.min.css"
import { t } from "../../i18n/i18n.ts"
import { isDark } from "../../theme/theme.ts"
import {
  chartSummary, labelledIndices, movedIndex, palettes, rowCells, withOpacity, yRange,
  type ChartData, type ChartPalette,
} from "./model.ts"

export type { ChartBand, ChartData, ChartSeries } from "./model.ts"

export interface ChartProps extends ChartData {
  /** Values in the tooltip, legend and table (full precision). */
  readonly formatValue: (value: number) => string
  /** Values on the y axis (compact); formatValue when absent. */
  readonly formatAxisValue?: (value: number) => string
  readonly formatX: (x: string) => string
  /** CSS pixels (default 240). */
  readonly height?: number
  /** The table's heading for the x column (default "Day"). */
  readonly xLabel?: string
}

/** Bars above zero in `above`, below it (net refunds) in `below`: a gradient with a hard stop at zero. */
function belowZero(self: uPlot, above: string, below: string): CanvasGradient | string {
  const top = self.bbox.top
  const height = self.bbox.height
  if (!(height > 0)) return above
  const zero = Math.min(1, Math.max(0, (self.valToPos(0, "y", true) - top) / height))
  const gradient = self.ctx.createLinearGradient(0, top, 0, top + height)
  gradient.addColorStop(0, above)
  gradient.addColorStop(zero, above)
  gradient.addColorStop(zero, below)
  gradient.addColorStop(1, below)
  return gradient
}

const FONT = "12px ui-sans-serif, system-ui, sans-serif"
const X_LABEL_WIDTH = 64

export function Chart(props: ChartProps) {
  let host!: HTMLDivElement
  let plot: uPlot | undefined
  const [width, setWidth] = createSignal(0)
  const [hover, setHover] = createSignal<{ index: number; left: number; top: number } | null>(null)
  const [keyboardIndex, setKeyboardIndex] = createSignal<number | null>(null)

  const summary = createMemo(() => chartSummary(props, props.formatX, props.formatValue, {
    empty: t("chart.empty"),
    summary: (params) => t("chart.summary", params),
  }))
  const legend = createMemo(() => {
    const palette = palettes[isDark() ? "dark" : "light"]
    return [
      ...props.series.map((s) => ({ label: s.label, colour: palette.tones[s.tone ?? "primary"], band: false, opacity: 1 })),
      ...(props.bands ?? []).map((b) => ({ label: b.label, colour: palette.tones[b.tone ?? "forecast"], band: true, opacity: b.opacity ?? 0.2 })),
    ]
  })

  onMount(() => {
    setWidth(Math.floor(host.clientWidth))
    if (typeof ResizeObserver === "undefined") return
    const observer = new ResizeObserver(() => setWidth(Math.floor(host.clientWidth)))
    observer.observe(host)
    onCleanup(() => observer.disconnect())
  })
  onCleanup(() => plot?.destroy())

  // Drawn again when the data or the theme changes; only resized when the width does.
  createEffect(on(
    () => [props.x, props.series, props.bands, props.height, isDark()] as const,
    () => {
      const w = width()
      if (w === 0) return
      let cancelled = false
      onCleanup(() => { cancelled = true })
      void import("uplot").then(({ default: UPlot }) => {
        if (cancelled) return
        plot?.destroy()
        setHover(null)
        plot = new UPlot(options(UPlot, w), data(), host)
      })
    },
  ))
  createEffect(on(width, (w) => { if (plot && w > 0) plot.setSize({ width: w, height: props.height ?? 240 }) }, { defer: true }))

  const data = (): uPlot.AlignedData => [
    props.x.map((_, i) => i),
    ...props.series.map((s) => s.values.map((v) => v ?? null)),
    ...(props.bands ?? []).flatMap((b) => [b.upper.map((v) => v ?? null), b.lower.map((v) => v ?? null)]),
  ] as uPlot.AlignedData

  const options = (UPlot: typeof uPlot, w: number): uPlot.Options => {
    const palette: ChartPalette = palettes[isDark() ? "dark" : "light"]
    const count = props.x.length
    const [yMin, yMax] = yRange(props)
    const axisValue = props.formatAxisValue ?? props.formatValue
    const bars = UPlot.paths.bars!({ size: [0.7, 48], align: 0 })
    const bandSeriesStart = 1 + props.series.length
    const axisBase = { stroke: palette.text, font: FONT, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.axis, width: 1, size: 4 } }
    return {
      width: w,
      height: props.height ?? 240,
      legend: { show: false },
      cursor: { y: false, points: { size: 8 }, drag: { x: false, y: false } },
      scales: { x: { time: false, range: () => [-0.5, Math.max(0.5, count - 0.5)] }, y: { range: () => [yMin, yMax] } },
      axes: [
        {
          ...axisBase,
          grid: { show: false },
          splits: (self) => labelledIndices(count, self.bbox.width / devicePixelRatio / X_LABEL_WIDTH),
          values: (_, splits) => splits.map((i) => { const x = props.x[i]; return x === undefined ? "" : props.formatX(x) }),
        },
        {
          ...axisBase,
          values: (_, splits) => splits.map(axisValue),
          size: (self, values, axisIdx, cycle) => {
            const axis = self.axes[axisIdx]!
            if (cycle > 1 && axis.size !== undefined && typeof axis.size === "number") return axis.size
            self.ctx.font = FONT
            const widest = Math.max(0, ...(values ?? []).map((v) => self.ctx.measureText(v).width))
            return Math.ceil(widest + 16)
          },
        },
      ],
      series: [
        {},
        ...props.series.map((s): uPlot.Series => {
          const colour = palette.tones[s.tone ?? "primary"]
          return s.style === "line"
            ? { label: s.label, stroke: colour, width: 2, points: { show: count <= 45, size: 4 }, ...(s.dashed ? { dash: [6, 4] } : {}) }
            : { label: s.label, stroke: colour, fill: (self) => belowZero(self, colour, palette.tones.negative), width: 0, paths: bars, points: { show: false }, fillTo: 0 }
        }),
        ...(props.bands ?? []).flatMap((b): uPlot.Series[] => {
          const edge = withOpacity(palette.tones[b.tone ?? "forecast"], Math.min(1, (b.opacity ?? 0.2) + 0.25))
          return [
            { label: `${b.label} ↑`, stroke: edge, width: 1, points: { show: false } },
            { label: `${b.label} ↓`, stroke: edge, width: 1, points: { show: false } },
          ]
        }),
      ],
      bands: (props.bands ?? []).map((b, i) => ({
        series: [bandSeriesStart + 2 * i, bandSeriesStart + 2 * i + 1] as [number, number],
        fill: withOpacity(palette.tones[b.tone ?? "forecast"], b.opacity ?? 0.2),
      })),
      hooks: {
        setCursor: [(self) => {
          const index = self.cursor.idx
          const left = self.cursor.left ?? -1
          if (index == null || left < 0) { setHover(null); return }
          const over = self.over.getBoundingClientRect()
          const outer = host.getBoundingClientRect()
          setHover({ index, left: over.left - outer.left + left, top: over.top - outer.top })
        }],
      },
    }
  }

  // Arrow keys walk the points as the pointer does, with the same tooltip, read out by the live region below.
  const onKey = (event: KeyboardEvent) => {
    const next = movedIndex(event.key, keyboardIndex(), props.x.length)
    if (next === undefined || !plot) return
    event.preventDefault()
    setKeyboardIndex(next)
    plot.setCursor({ left: plot.valToPos(next, "x"), top: plot.bbox.height / devicePixelRatio / 2 })
  }
  const onBlur = () => { setKeyboardIndex(null); plot?.setCursor({ left: -10, top: -10 }) }
  const tooltipText = (index: number) => {
    const x = props.x[index]
    const cells = rowCells(props, index, props.formatValue)
    const names = [...props.series.map((s) => s.label), ...(props.bands ?? []).map((b) => b.label)]
    return { x: x === undefined ? "" : props.formatX(x), rows: names.map((name, i) => ({ name, value: cells[i] ?? "" })).filter((r) => r.value !== "") }
  }

  return (
    <figure class="w-full" data-chart>
      <div class="relative">
        <div ref={host} tabindex="0" role="img" aria-label={summary()}
          class="w-full overflow-hidden rounded focus-visible:outline-offset-4" style={{ "min-height": `${props.height ?? 240}px` }}
          onKeyDown={onKey} onBlur={onBlur} data-testid="chart-canvas" />
        <Show when={hover()}>
          {(at) => {
            const text = () => tooltipText(at().index)
            return (
              <div role="presentation" data-testid="chart-tooltip"
                class="pointer-events-none absolute z-10 min-w-32 whitespace-nowrap rounded-md border border-slate-200 bg-white px-2 py-1 text-xs shadow-md dark:border-slate-600 dark:bg-slate-800"
                style={{ left: `${at().left}px`, top: `${at().top}px`, transform: at().left > width() / 2 ? "translateX(calc(-100% - 8px))" : "translateX(8px)" }}>
                <div class="font-semibold">{text().x}</div>
                <For each={text().rows}>{(row) => <div class="flex justify-between gap-3"><span>{row.name}</span><span class="tabular-nums">{row.value}</span></div>}</For>
              </div>
            )
          }}
        </Show>
      </div>
      <div class="sr-only" aria-live="polite">
        <Show when={keyboardIndex() !== null && tooltipText(keyboardIndex()!)}>
          {(text) => `${text().x}: ${text().rows.map((r) => `${r.name} ${r.value}`).join(", ")}`}
        </Show>
      </div>
      <figcaption class="mt-2 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
        <ul class="flex flex-wrap gap-x-4 gap-y-1" aria-label={t("chart.legend")}>
          <For each={legend()}>
            {(item) => (
              <li class="flex items-center gap-1.5">
                <span aria-hidden="true" class="inline-block h-3 w-3 rounded-sm"
                  style={{ background: item.band ? withOpacity(item.colour, Math.min(1, item.opacity * 2)) : item.colour, border: `1px solid ${item.colour}` }} />
                {item.label}
              </li>
            )}
          </For>
        </ul>
        <span class="text-slate-600 dark:text-slate-400">{t("chart.keys")}</span>
      </figcaption>
      <details class="mt-2 text-sm">
        <summary class="cursor-pointer text-brand-700 underline dark:text-indigo-300">{t("chart.table")}</summary>
        <div class="mt-2 max-h-72 overflow-auto" tabindex="0" role="region" aria-label={props.title}>
          <table class="w-full text-left text-sm">
            <caption class="sr-only">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col" class="px-2 py-1">{props.xLabel ?? t("chart.day")}</th>
                <For each={[...props.series.map((s) => s.label), ...(props.bands ?? []).map((b) => b.label)]}>
                  {(name) => <th scope="col" class="px-2 py-1 text-right">{name}</th>}
                </For>
              </tr>
            </thead>
            <tbody>
              <For each={props.x}>
                {(x, index) => (
                  <tr class="border-t border-slate-200 dark:border-slate-700">
                    <th scope="row" class="px-2 py-1 font-normal">{props.formatX(x)}</th>
                    <For each={rowCells(props, index(), props.formatValue)}>{(cell) => <td class="px-2 py-1 text-right tabular-nums">{cell}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
