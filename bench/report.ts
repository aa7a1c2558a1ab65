// The bench's table (stdout) and its JSON (bench/results/latest.json).
import type { Row } from "./scenario.ts"

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
const ms = (n: number | undefined) => (n === undefined ? "–" : n < 10 ? n.toFixed(2) : n.toFixed(1))
const ratioText = (r: number | undefined) => (r === undefined ? "" : `${r.toFixed(r < 0.1 ? 3 : 2)} ×`)

export function table(header: string, sections: ReadonlyArray<{ title: string; rows: ReadonlyArray<Row> }>): string {
  const all = sections.flatMap((s) => s.rows)
  const width = Math.max(34, ...all.map((r) => r.name.length + 1))
  const out = ["", header]
  for (const section of sections) {
    out.push("", `${section.title.padEnd(width)}${"rate".padStart(18)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"p99.9 ms".padStart(10)}  ratio    target`)
    for (const r of section.rows) {
      if (r.error !== undefined && r.perSecond === undefined) {
        out.push(`${r.name.padEnd(width)}FAILED: ${r.error}`)
        continue
      }
      const rate = r.perSecond === undefined ? "" : `${fmt(r.perSecond)} ${r.unit}/s`
      const target = r.target ? `${r.target.met ? "met" : "MISSED"}: ${r.target.text}` : ""
      out.push(`${r.name.padEnd(width)}${rate.padStart(18)}${ms(r.latencyMs?.p50).padStart(9)}${ms(r.latencyMs?.p99).padStart(9)}` +
        `${ms(r.latencyMs?.p999).padStart(10)}  ${ratioText(r.ratio).padEnd(8)} ${target}`)
      if (r.runs && r.runs.length > 1) out.push(`${"".padEnd(4)}runs: ${r.runs.map(fmt).join(", ")} ${r.unit}/s${r.ceiling ? `; ratio to "${r.ceiling}"` : ""}`)
      else if (r.ceiling) out.push(`${"".padEnd(4)}ratio to "${r.ceiling}"`)
      if (r.notes && Object.keys(r.notes).length > 0) {
        out.push(`${"".padEnd(4)}${Object.entries(r.notes).map(([k, v]) => `${k} ${typeof v === "number" ? v.toLocaleString("en-US") : v}`).join("; ")}`)
      }
      for (const c of r.checks ?? []) out.push(`${"".padEnd(4)}${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`)
      if (r.error !== undefined) out.push(`${"".padEnd(4)}ERROR: ${r.error}`)
    }
  }
  return `${out.join("\n")}\n\n`
}

/** Failed: an error, or a correctness check that did not hold (a missed speed target is reported, not failed). */
export const failed = (rows: ReadonlyArray<Row>) => rows.some((r) => r.error !== undefined || (r.checks ?? []).some((c) => !c.ok))
