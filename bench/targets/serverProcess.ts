// A server under test as a child process: started, waited for, watched (RSS, CPU), stopped by its own pid.
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { closeSync, openSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { createServer } from "node:net"
import { performance } from "node:perf_hooks"

export interface ServerProcess {
  readonly origin: string
  readonly child: ChildProcess
  /** Resident set size now, in MiB. */
  rssMiB(): Promise<number>
  /** User + system CPU seconds used so far. */
  cpuSeconds(): Promise<number>
  /** SIGTERM (graceful: in-flight requests finish), SIGKILL after a grace period. */
  stop(): Promise<void>
}

export interface StartOptions {
  readonly label: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  /** Its HTTP port, if it listens. */
  readonly port?: number
  /** True once the process takes traffic (e.g. a 2xx from /readyz). */
  readonly ready: (origin: string) => Promise<boolean>
  /** Where the child's stdout/stderr go (its logs); default: discarded. */
  readonly logFile?: string
  readonly nodeOptions?: ReadonlyArray<string>
}

const READY_WITHIN_MS = 60_000

/** A free loopback port (the kernel's pick, released at once for the child to take). */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, "close")
  return port
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  // The child writes its logs straight to the file (not through this process), as it would to a container's stdout.
  const log = options.logFile ? openSync(options.logFile, "a") : "ignore"
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", log, log === "ignore" ? "inherit" : log],
  })
  if (typeof log === "number") closeSync(log)
  const origin = options.port === undefined ? "" : `http://127.0.0.1:${options.port}`
  const server: ServerProcess = {
    origin,
    child,
    rssMiB: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8")
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
    },
    cpuSeconds: async () => {
      const stat = await readFile(`/proc/${child.pid}/stat`, "utf8")
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      return (Number(fields[11]) + Number(fields[12])) / 100
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, "exit")
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      await exited
      clearTimeout(timer)
    },
  }
  const deadline = performance.now() + READY_WITHIN_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.label} exited with ${child.exitCode} before it was ready${options.logFile ? ` (log: ${options.logFile})` : ""}`)
    if (await options.ready(origin).catch(() => false)) return server
    if (performance.now() > deadline) {
      await server.stop()
      throw new Error(`${options.label} was not ready within ${READY_WITHIN_MS / 1000} s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** A readiness check: GET `path` answers 2xx. */
export const answers = (path: string) => async (origin: string) => (await fetch(`${origin}${path}`)).ok

/** Samples a process's RSS every `everyMs` until stopped; reports the peak and the mean. */
export function watchMemory(server: ServerProcess, everyMs = 250) {
  const samples: Array<number> = []
  const timer = setInterval(() => void server.rssMiB().then((mib) => samples.push(mib), () => undefined), everyMs)
  return {
    stop() {
      clearInterval(timer)
      const peak = samples.reduce((a, b) => Math.max(a, b), 0)
      const mean = samples.length > 0 ? samples.reduce((a, b) => a + b, 0) / samples.length : 0
      return { peakMiB: Math.round(peak), meanMiB: Math.round(mean), samples: samples.length }
    },
  }
}
