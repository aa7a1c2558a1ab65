// Progress for long CLI work: a bar with count, rate and ETA on a terminal; plain lines (every few seconds)
// when the output is a log or CI, where a redrawn bar would be noise.
import cliProgress from "cli-progress"

export interface Progress {
  /** Sets how many units are done (absolute, not an increment). */
  update(done: number): void
  /** Grows the total when more work turns up (a rebuild catching up with live traffic). */
  setTotal(total: number): void
  stop(): void
}

export interface ProgressOptions {
  readonly label: string
  readonly total: number
  /** Units' name, e.g. "events". */
  readonly unit?: string
  readonly stream?: NodeJS.WriteStream
  /** Seconds between plain lines when not on a terminal. */
  readonly plainEverySeconds?: number
}

export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr
  const unit = options.unit ?? "events"
  return stream.isTTY ? barProgress(options, unit, stream) : plainProgress(options, unit, stream)
}

function barProgress(options: ProgressOptions, unit: string, stream: NodeJS.WriteStream): Progress {
  const started = Date.now()
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {remaining}`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
  })
  let total = Math.max(1, options.total)
  bar.start(total, 0, { rate: "0", remaining: "?" })
  let stopped = false
  return {
    update(done) {
      // Rate and ETA over the whole run: steadier than cli-progress's own, which is Infinity until it has samples.
      const seconds = (Date.now() - started) / 1_000
      const rate = seconds > 0 ? done / seconds : 0
      bar.update(done, { rate: Math.round(rate).toLocaleString("en"), remaining: rate > 0 ? `${Math.ceil(Math.max(0, total - done) / rate)} s` : "?" })
    },
    setTotal: (value) => {
      total = Math.max(1, value)
      bar.setTotal(total)
    },
    stop() {
      if (!stopped) bar.stop()
      stopped = true
    },
  }
}

function plainProgress(options: ProgressOptions, unit: string, stream: NodeJS.WriteStream): Progress {
  const started = Date.now()
  const every = (options.plainEverySeconds ?? 5) * 1_000
  let total = options.total
  let done = 0
  let lastLine = started
  let stopped = false
  const line = (final: boolean) => {
    const seconds = (Date.now() - started) / 1_000
    const rate = seconds > 0 ? done / seconds : 0
    const eta = rate > 0 && !final ? `, ETA ${Math.ceil((total - done) / rate)} s` : ""
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100
    stream.write(`${options.label}: ${done}/${total} ${unit} (${pct}%), ${Math.round(rate)} ${unit}/s${eta}${final ? `, ${seconds.toFixed(1)} s` : ""}\n`)
  }
  return {
    update(value) {
      done = value
      if (Date.now() - lastLine >= every) {
        lastLine = Date.now()
        line(false)
      }
    },
    setTotal(value) {
      total = value
    },
    stop() {
      if (!stopped) line(true)
      stopped = true
    },
  }
}
