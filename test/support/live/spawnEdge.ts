// Starts edgeProcess.ts as a child process and waits until it listens.
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { createInterface } from "node:readline"
import type { LiveLimits } from "../../../src/edge/index.ts"

export interface EdgeChild {
  readonly url: string
  readonly port: number
  readonly child: ChildProcess
  stop(): Promise<void>
}

export async function spawnEdge(options: {
  /** Environment for readSettings (APP_NAMESPACE, NATS_URL, …). */
  readonly env: Readonly<Record<string, string>>
  readonly secret: string
  readonly limits?: Partial<LiveLimits>
}): Promise<EdgeChild> {
  const script = new URL("./edgeProcess.ts", import.meta.url).pathname
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...options.env, LIVE_JWT_SECRET: options.secret, LIVE_LIMITS: JSON.stringify(options.limits ?? {}) },
    stdio: ["ignore", "pipe", "inherit"],
  })
  const lines = createInterface({ input: child.stdout! })
  const exited = once(child, "exit").then(([code]) => { throw new Error(`edge process exited with ${code} before listening`) })
  const [line] = (await Promise.race([once(lines, "line"), exited])) as [string]
  const { port } = JSON.parse(line) as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    child,
    async stop() {
      if (child.exitCode !== null) return
      const done = once(child, "exit")
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
      await done
      clearTimeout(timer)
    },
  }
}
