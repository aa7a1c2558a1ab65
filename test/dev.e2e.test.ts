// `admin-kiosk dev` in a real terminal (a pseudo-terminal driven by test/support/terminal.py): it starts its own
// NATS and Postgres, a second process in the same directory reaches them with no environment, and Ctrl-C —
// which the terminal sends to the whole foreground process group — stops everything in order with exit 0,
// leaving no process behind. A second start uses the same ports.
import { type ChildProcess, spawn } from "node:child_process"
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { freePort, reachable } from "../src/cli/index.ts"
import { processesMentioning } from "./support/processes.ts"

const CLI = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))
const TERMINAL = fileURLToPath(new URL("./support/terminal.py", import.meta.url))

/** The environment of a fresh terminal: none of the connection variables, so that only dev.json can help. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !["NATS_URL", "DATABASE_URL", "APP_NAMESPACE", "PORT", "METRICS_PORT"].includes(k)) env[k] = v
  }
  return { ...env, LOG_LEVEL: "warn", ...extra }
}

interface Terminal {
  readonly child: ChildProcess
  output(): string
  ctrlC(): void
  readonly exited: Promise<number | null>
}

function inTerminal(cwd: string, args: ReadonlyArray<string>, env: Record<string, string>): Terminal {
  const child = spawn("python3", [TERMINAL, process.execPath, CLI, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] })
  let out = ""
  child.stdout!.on("data", (d: Buffer) => { out += d.toString() })
  child.stderr!.on("data", (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return {
    child,
    output: () => out,
    exited,
    ctrlC: () => child.stdin!.write("INT\n"),
  }
}

function run(cwd: string, args: ReadonlyArray<string>, env: Record<string, string>, input = "") {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString() })
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString() })
    child.once("exit", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** Polls the ops port until every role is ready. */
async function ready(metricsPort: number, terminal: Terminal, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).then((r) => r.status, () => 0)
    if (status === 200) return
    if (terminal.child.exitCode !== null) throw new Error(`dev exited (${terminal.child.exitCode}):\n${terminal.output()}`)
    if (Date.now() > deadline) throw new Error(`dev not ready within ${timeoutMs} ms:\n${terminal.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const dirs: Array<string> = []
const terminals: Array<Terminal> = []
afterAll(async () => {
  // A failed assertion must not leave dev and its services running.
  for (const t of terminals) if (t.child.exitCode === null) { t.ctrlC(); await t.exited }
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe("admin-kiosk dev in a terminal", () => {
  it("serves on its own services, which a second process finds with no env; Ctrl-C stops all of it with exit 0", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "ak-dev-e2e-"))
    dirs.push(cwd)
    // As root, the embedded Postgres runs as the OS user `postgres`, which must reach the data directory.
    await chmod(cwd, 0o755)
    const port = await freePort()
    const metricsPort = await freePort()
    const env = bareEnv({ PORT: String(port), METRICS_PORT: String(metricsPort) })

    // --embedded: never the machine's own NATS and Postgres, even though they answer here.
    const first = inTerminal(cwd, ["dev", "--embedded"], env)
    terminals.push(first)
    await ready(metricsPort, first)
    const state = JSON.parse(await readFile(join(cwd, ".data", "dev.json"), "utf8")) as { natsUrl: string; databaseUrl: string }
    const ports = JSON.parse(await readFile(join(cwd, ".data", "ports.json"), "utf8")) as { nats: number; postgres: number }
    expect(state.natsUrl).toBe(`nats://127.0.0.1:${ports.nats}`)
    expect(state.databaseUrl).toContain(`@127.0.0.1:${ports.postgres}/`)

    // A second terminal: no NATS_URL, no DATABASE_URL.
    const created = await run(cwd, ["users", "create", "--username", "first-admin", "--role", "admin", "--password-stdin"],
      bareEnv(), "a-long-enough-password")
    expect(created.code, created.stderr).toBe(0)
    expect(created.stderr).toMatch(/using the services of `admin-kiosk dev`/)
    // …and the user it made is the one the running app knows.
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "first-admin", password: "a-long-enough-password" }),
    })
    expect(login.status).toBe(200)

    first.ctrlC()
    expect(await first.exited, first.output()).toBe(0)
    expect(first.output()).toContain("dev: stopped")
    expect(first.output()).not.toMatch(/Unhandled|uncaught|    at /i)
    expect(await processesMentioning(cwd)).toEqual([])
    expect(await reachable(state.natsUrl, 4222)).toBe(false)
    expect(await reachable(state.databaseUrl, 5432)).toBe(false)
    // Nothing left claiming to be running.
    await expect(readFile(join(cwd, ".data", "dev.json"))).rejects.toThrow()

    // Started again: the same ports, so URLs saved or printed earlier still hold.
    const second = inTerminal(cwd, ["dev", "--embedded"], env)
    terminals.push(second)
    await ready(metricsPort, second)
    const again = JSON.parse(await readFile(join(cwd, ".data", "dev.json"), "utf8")) as { natsUrl: string; databaseUrl: string }
    expect(again.natsUrl).toBe(state.natsUrl)
    expect(again.databaseUrl).toBe(state.databaseUrl)
    second.ctrlC()
    expect(await second.exited, second.output()).toBe(0)
    expect(await processesMentioning(cwd)).toEqual([])
  }, 400_000)
})
