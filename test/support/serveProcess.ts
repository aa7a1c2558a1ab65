// `admin-kiosk serve` as a real child process, the way a container runs it: its ops port and (for the edge) its
// API port on free ports, the output kept for a failing test's message, SIGTERM to stop it.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { freePort } from "../../src/cli/index.ts"

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))

export interface ServeProcess {
  readonly process: ChildProcess
  /** PORT and METRICS_PORT as the process was given them. */
  readonly ports: { readonly PORT: number; readonly METRICS_PORT: number }
  /** Everything it wrote to stdout and stderr so far. */
  output(): string
  /** GETs a path on 127.0.0.1 at one of its ports. */
  get(port: "PORT" | "METRICS_PORT", path: string): Promise<Response>
  /** Polls until `path` answers 200 (readiness takes a moment), or throws with the last answer and the output. */
  until200(port: "PORT" | "METRICS_PORT", path: string, timeoutMs?: number): Promise<Response>
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** `cli`: another admin-kiosk entry (the installed package's dist/cli/main.js), run in `cwd`. */
export async function startServe(roles: string, env: Record<string, string>, { cli = CLI, cwd }: { cli?: string; cwd?: string } = {}): Promise<ServeProcess> {
  const ports = { PORT: await freePort(), METRICS_PORT: await freePort() }
  const child = spawn(process.execPath, [cli, "serve", "--roles", roles], {
    ...(cwd === undefined ? {} : { cwd }),
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(ports.PORT), METRICS_PORT: String(ports.METRICS_PORT) },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let out = ""
  child.stdout.on("data", (d: Buffer) => { out += d.toString() })
  child.stderr.on("data", (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))

  const get = (port: "PORT" | "METRICS_PORT", path: string) =>
    fetch(`http://127.0.0.1:${ports[port]}${path}`, { signal: AbortSignal.timeout(5_000) })
  const until200 = async (port: "PORT" | "METRICS_PORT", path: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs
    let last = "no answer"
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`serve --roles ${roles} exited with ${child.exitCode}:\n${out}`)
      try {
        const response = await get(port, path)
        if (response.status === 200) return response
        last = `${response.status} ${await response.text()}`
      } catch (error) {
        last = String(error)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`serve --roles ${roles}: ${path} on ${port} not 200 within ${timeoutMs} ms (last: ${last}):\n${out}`)
  }
  return {
    process: child,
    ports,
    output: () => out,
    get,
    until200,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM")
      return exited
    },
  }
}
