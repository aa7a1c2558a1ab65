// The simulator's one live line: redrawn in place on a terminal, a plain line every few seconds in a log.
import type { FleetCounts } from "./fleet.ts"

export function describeCounts(c: FleetCounts, seconds: number): string {
  const rate = seconds > 0 ? (c.acknowledged / seconds).toFixed(1) : "0.0"
  return `sent ${c.sent} · acknowledged ${c.acknowledged} · queued ${c.queued} · rejected ${c.rejected}` +
    `${c.failed > 0 ? ` · journal failures ${c.failed}` : ""} · offline ${c.offline}/${c.kiosks} · ${rate}/s · ${Math.floor(seconds)} s`
}

export function startLiveLine(read: () => FleetCounts, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now()
  const line = () => describeCounts(read(), (Date.now() - started) / 1_000)
  const timer = stream.isTTY
    ? setInterval(() => stream.write(`\r\x1b[2K${line()}`), 250)
    : setInterval(() => stream.write(`${line()}\n`), 5_000)
  return {
    stop() {
      clearInterval(timer)
      if (stream.isTTY) stream.write("\r\x1b[2K")
    },
  }
}
