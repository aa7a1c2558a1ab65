// Starts test/support/kioskProcess.ts and talks to it line by line.
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import type { KioskStatus } from "../../src/kiosk-client/index.ts"

const ENTRY = fileURLToPath(new URL("./kioskProcess.ts", import.meta.url))

type Line = { ready?: true; accepted?: string; rotated?: true; status?: KioskStatus; drained?: true; drainFailed?: string }

export interface KioskChild {
  readonly child: ChildProcess
  /** Keys of the sales it reported durable, in order. */
  readonly accepted: Array<string>
  send(command: object): void
  /** The next line matching `match` (already received ones included), within `timeoutMs`. */
  next(match: (line: Line) => boolean, timeoutMs?: number): Promise<Line>
  status(): Promise<KioskStatus>
  kill(): Promise<void>
  stderr(): string
}

export async function startKioskChild(journal: string, edgeUrl: string, deviceToken?: string): Promise<KioskChild> {
  const child = spawn(process.execPath, [ENTRY, journal, edgeUrl, ...(deviceToken ? [deviceToken] : [])], { stdio: ["pipe", "pipe", "pipe"] })
  let stderr = ""
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString() })
  const lines: Array<Line> = []
  const accepted: Array<string> = []
  const waiters = new Set<() => void>()
  createInterface({ input: child.stdout! }).on("line", (text) => {
    const line = JSON.parse(text) as Line
    if (line.accepted) accepted.push(line.accepted)
    lines.push(line)
    for (const wake of waiters) wake()
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  let consumed = 0

  const next = (match: (line: Line) => boolean, timeoutMs = 30_000) => new Promise<Line>((resolve, reject) => {
    const check = () => {
      while (consumed < lines.length) {
        const line = lines[consumed++]!
        if (match(line)) {
          clearTimeout(timer)
          waiters.delete(check)
          return resolve(line)
        }
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(timer)
        waiters.delete(check)
        reject(new Error(`kiosk process exited (${child.exitCode ?? child.signalCode}):\n${stderr}`))
      }
    }
    const timer = setTimeout(() => {
      waiters.delete(check)
      reject(new Error(`kiosk process: no matching line within ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    waiters.add(check)
    void exited.then(check)
    check()
  })

  const handle: KioskChild = {
    child,
    accepted,
    send: (command) => void child.stdin!.write(`${JSON.stringify(command)}\n`),
    next,
    async status() {
      handle.send({ status: true })
      return (await next((l) => l.status !== undefined && l.drained === undefined && l.ready === undefined)).status!
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      await exited
    },
    stderr: () => stderr,
  }
  await next((l) => l.ready === true)
  return handle
}
