import { Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import { startProgress } from "./progress.ts"

/** A stream that is not a terminal and remembers what was written. */
function captured(isTTY: boolean) {
  const chunks: Array<string> = []
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done() } }) as unknown as NodeJS.WriteStream
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return { stream, text: () => chunks.join("") }
}

describe("progress", () => {
  it("writes plain lines, not a bar, when the stream is not a terminal", () => {
    const out = captured(false)
    const progress = startProgress({ label: "rebuild payments", total: 100, unit: "events", stream: out.stream, plainEverySeconds: 0 })
    progress.update(40)
    progress.setTotal(120)
    progress.update(120)
    progress.stop()
    progress.stop()
    const lines = out.text().trimEnd().split("\n")
    expect(lines[0]).toMatch(/^rebuild payments: 40\/100 events \(40%\), \d+ events\/s/)
    expect(lines.at(-1)).toMatch(/^rebuild payments: 120\/120 events \(100%\), \d+ events\/s, \d+\.\d s$/)
    expect(lines).toHaveLength(3)
    expect(out.text()).not.toMatch(/\u001b\[/)
  })

  it("draws a bar with count, rate and ETA on a terminal", () => {
    const out = captured(true)
    const progress = startProgress({ label: "rebuild payments", total: 1_000, unit: "events", stream: out.stream })
    progress.update(250)
    progress.stop()
    expect(out.text()).toMatch(/rebuild payments \[.*\] 25% \| 250\/1000 events \| [\d,]+\/s \| ETA (\d+ s|\?)/)
  })
})
