// A nats-server and a Postgres cluster that belong to one test (their own ports and data under one directory), so
// the test may stop and restart them — never the machine's shared ones. Same port and data after a restart, so
// every process configured with their URLs finds them again. Started the way `admin-kiosk dev` starts its own.
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort, startNats, startPostgres } from "../../src/cli/index.ts"
import { processesMentioning } from "./processes.ts"

export interface OwnService {
  readonly url: string
  readonly running: boolean
  /** Stops it (NATS: SIGTERM, JetStream flushes; Postgres: fast shutdown). */
  stop(): Promise<void>
  /** Starts it again on the same port and data. */
  start(): Promise<void>
}

export interface OwnServices {
  readonly dir: string
  readonly nats: OwnService
  readonly postgres: OwnService
  /** Stops both and removes their data; throws if a process of theirs is still running. */
  close(): Promise<void>
}

async function service(open: () => Promise<{ url: string; stop: () => Promise<void> }>): Promise<OwnService> {
  let current: { url: string; stop: () => Promise<void> } | undefined = await open()
  const url = current.url
  return {
    url,
    get running() { return current !== undefined },
    async stop() {
      const stopping = current
      current = undefined
      await stopping?.stop()
    },
    async start() {
      if (current === undefined) current = await open()
    },
  }
}

export async function startOwnServices(label = "own-services"): Promise<OwnServices> {
  const dir = await mkdtemp(join(tmpdir(), `${label}-`))
  // Run as root, Postgres runs as the user `postgres`, who must be able to reach its data directory under this one.
  await chmod(dir, 0o755)
  const natsPort = await freePort()
  const pgPort = await freePort()
  const nats = await service(() => startNats(join(dir, "nats"), natsPort))
  const postgres = await service(() => startPostgres(join(dir, "pg"), pgPort, true)).catch(async (error: unknown) => {
    await nats.stop()
    throw error
  })
  return {
    dir,
    nats,
    postgres,
    async close() {
      await postgres.stop()
      await nats.stop()
      const left = await processesMentioning(dir)
      await rm(dir, { recursive: true, force: true })
      if (left.length > 0) throw new Error(`still running after close:\n${left.join("\n")}`)
    },
  }
}
