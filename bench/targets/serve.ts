// `admin-kiosk serve --roles …` as the bench runs it: the real CLI in its own process, configured by environment.
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { answers, freePort, type ServerProcess, startServer } from "./serverProcess.ts"

const CLI = new URL("../../src/cli/main.ts", import.meta.url).pathname

export interface ServeOptions {
  /** e.g. "edge", "all", "projector". */
  readonly roles: string
  /** APP_NAMESPACE, NATS_URL, DATABASE_URL, secrets, LOG_LEVEL… */
  readonly env: Readonly<Record<string, string>>
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeOptions?: ReadonlyArray<string>
}

/** Where a serve process's logs go: one file per namespace and roles, under the system's temp dir. */
export const serveLogFile = (env: Readonly<Record<string, string>>, roles: string) =>
  join(tmpdir(), `bench-${env.APP_NAMESPACE ?? "ak"}-${roles.replace(/[^a-z]/g, "_")}.log`)

export async function startServe(options: ServeOptions): Promise<ServerProcess> {
  const hasEdge = options.roles === "all" || options.roles.split(",").includes("edge")
  const port = await freePort()
  return startServer({
    label: `serve --roles ${options.roles}`,
    args: [CLI, "serve", "--roles", options.roles],
    env: { ...options.env, HOST: "127.0.0.1", PORT: String(port) },
    ...(hasEdge ? { port } : {}),
    ready: hasEdge ? answers("/readyz") : projectorStarted(options.env),
    logFile: serveLogFile(options.env, options.roles),
    ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}),
  })
}

/** A projector without an edge has no HTTP to ask: it is up once its payments checkpoint row exists. */
function projectorStarted(env: Readonly<Record<string, string>>) {
  return async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL })
    await client.connect()
    try {
      const { rows } = await client.query(
        `select 1 from "${env.APP_NAMESPACE}".projection_checkpoints where name = 'payments'`)
      return rows.length > 0
    } finally {
      await client.end()
    }
  }
}
