// A small SVG bar chart that screen readers can read: a summary as its label and the numbers as a table.
import { createMemo, For, Show } from "solid-js"
import { t } from "../i18n/i18n.ts"

export interface ChartPoint { label: string; value: number }

const WIDTH = 600
const HEIGHT = 200
const PAD = { top: 10, right: 8, bottom: 24, left: 8 }

export function BarChart(props: {
  title: string
  points: ReadonlyArray<ChartPoint>
  formatValue: (value: number) => string
  formatLabel: (label: string) => string
}) {
  const scale = createMemo(() => {
    const values = props.points.map((p) => p.value)
    const max = Math.max(0, ...values)
    const min = Math.min(0, ...values)
    const span = max - min || 1
    const plotHeight = HEIGHT - PAD.top - PAD.bottom
    const y = (value: number) => PAD.top + ((max - value) / span) * plotHeight
    const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, props.points.length)
    return { max, y, slot, zero: y(0) }
  })
  const summary = createMemo(() => {
    const points = props.points
    if (points.length === 0) return t("chart.empty")
    const top = points.reduce((best, p) => (p.value > best.value ? p : best), points[0]!)
    return t("chart.summary", {
      title: props.title,
      count: points.length,
      from: props.formatLabel(points[0]!.label),
      to: props.formatLabel(points[points.length - 1]!.label),
      max: props.formatValue(top.value),
      maxDay: props.formatLabel(top.label),
    })
  })
  // A label under every 7th bar, counted from the most recent, so today always has one.
  const labelled = (index: number) => (props.points.length - 1 - index) % 7 === 0

  return (
    <figure class="w-full">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} class="h-auto w-full" role="img" aria-label={summary()}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={scale().zero} y2={scale().zero}
          class="stroke-slate-400 dark:stroke-slate-500" stroke-width="1" />
        <For each={props.points}>
          {(point, index) => {
            const x = () => PAD.left + index() * scale().slot + scale().slot * 0.15
            const top = () => Math.min(scale().y(point.value), scale().zero)
            const height = () => Math.max(point.value === 0 ? 0 : 1, Math.abs(scale().y(point.value) - scale().zero))
            return (
              <g>
                <rect x={x()} y={top()} width={scale().slot * 0.7} height={height()}
                  class={point.value < 0 ? "fill-red-600 dark:fill-red-400" : "fill-brand-600 dark:fill-indigo-400"}>
                  <title>{`${props.formatLabel(point.label)}: ${props.formatValue(point.value)}`}</title>
                </rect>
                <Show when={labelled(index())}>
                  <text x={x() + scale().slot * 0.35} y={HEIGHT - 6} text-anchor="middle"
                    class="fill-slate-600 text-[11px] dark:fill-slate-400">{props.formatLabel(point.label)}</text>
                </Show>
              </g>
            )
          }}
        </For>
      </svg>
      <figcaption class="sr-only">
        <table>
          <caption>{props.title}</caption>
          <thead><tr><th scope="col">{t("chart.day")}</th><th scope="col">{t("chart.value")}</th></tr></thead>
          <tbody>
            <For each={props.points}>
              {(point) => <tr><th scope="row">{props.formatLabel(point.label)}</th><td>{props.formatValue(point.value)}</td></tr>}
            </For>
          </tbody>
        </table>
      </figcaption>
    </figure>
  )
}
