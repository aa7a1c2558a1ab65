// Runs `admin-kiosk serve --roles …` as a child process, the way a deployment runs a role, for tests that stop,
// kill (SIGKILL) and restart it. Ready once serve logs "serving" (and, for an edge, /readyz answers 200).
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on("error", reject)
  })

export interface RoleProcess {
  readonly child: ChildProcess
  readonly pid: number
  /** Everything it wrote, for a failing test's message. */
  output(): string
  /** Resolves when it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGKILL (nothing gets to clean up) or SIGTERM (graceful), then waits for the exit. */
  kill(signal?: "SIGKILL" | "SIGTERM"): Promise<void>
}

export async function startRoles(roles: string, env: Record<string, string>, options: { readonly readyTimeoutMs?: number } = {}): Promise<RoleProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--roles", roles], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let out = ""
  child.stdout!.on("data", (d: Buffer) => { out += d.toString() })
  child.stderr!.on("data", (d: Buffer) => { out += d.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }))
  })
  const timeoutMs = options.readyTimeoutMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  let gone = false
  void exited.then(() => { gone = true })
  while (!out.includes('"msg":"serving"')) {
    if (gone) throw new Error(`serve --roles ${roles} exited before serving:\n${out}`)
    if (Date.now() > deadline) {
      child.kill("SIGKILL")
      throw new Error(`serve --roles ${roles} not serving after ${timeoutMs} ms:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
