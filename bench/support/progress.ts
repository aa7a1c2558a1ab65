// A progress bar per bench phase on a terminal (stderr); one line per phase otherwise (CI logs stay readable).
import cliProgress from "cli-progress"

export interface Progress {
  /** A phase that measures for about `expectedMs`. */
  phase(label: string, expectedMs: number): Phase
}
export interface Phase {
  tick(elapsedMs: number): void
  note(text: string): void
  done(summary: string): void
}

export function makeProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return {
      phase(label) {
        stream.write(`• ${label} …\n`)
        return { tick() {}, note: (text) => stream.write(`    ${text}\n`), done: (summary) => stream.write(`  ${label}: ${summary}\n`) }
      },
    }
  }
  return {
    phase(label, expectedMs) {
      const bar = new cliProgress.SingleBar({
        stream,
        format: `{label} |{bar}| {seconds} s {note}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
      }, cliProgress.Presets.shades_classic)
      let note = ""
      bar.start(expectedMs, 0, { label: label.padEnd(28), seconds: "0.0", note })
      const tick = (elapsedMs: number) => bar.update(Math.min(elapsedMs, expectedMs), { seconds: (elapsedMs / 1000).toFixed(1), note })
      return {
        tick,
        note: (text) => { note = text; bar.update({ note }) },
        done: (summary) => {
          bar.stop()
          stream.write(`✓ ${label.padEnd(28)} ${summary}\n`)
        },
      }
    },
  }
}
