import { Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import { startProgress } from "./progress.ts"

function capture(isTTY: boolean) {
  const chunks: Array<string> = []
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done() } }) as unknown as NodeJS.WriteStream
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return { stream, text: () => chunks.join("") }
}

describe("progress", () => {
  it("prints plain lines with count, rate and a final summary when not on a terminal", () => {
    const out = capture(false)
    const p = startProgress({ label: "rebuild payments", total: 10, stream: out.stream, plainEverySeconds: 0 })
    p.update(4)
    p.setTotal(12)
    p.update(12)
    p.stop()
    p.stop()
    const lines = out.text().trim().split("\n")
    expect(lines[0]).toMatch(/^rebuild payments: 4\/10 events \(40%\), \d+ events\/s/)
    expect(lines.at(-1)).toMatch(/^rebuild payments: 12\/12 events \(100%\), \d+ events\/s, [\d.]+ s$/)
    expect(lines).toHaveLength(3)
  })

  it("draws a bar with rate and ETA on a terminal", () => {
    const out = capture(true)
    const p = startProgress({ label: "seed", total: 100, unit: "sales", stream: out.stream })
    p.update(50)
    p.stop()
    expect(out.text()).toMatch(/seed \[[█░]+\] \d+% \| \d+\/100 sales \| [\d,]+\/s \| ETA/)
  })
})
