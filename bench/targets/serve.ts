// `admin-kiosk serve --roles …` as the bench runs it: the real CLI in its own process, configured by environment.
import { tmpdir } from "node:os"
import { join } from "node:path"
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
  // Every role answers /readyz on its ops port; a free one each, since other processes may hold the default.
  const opsPort = await freePort()
  return startServer({
    label: `serve --roles ${options.roles}`,
    args: [CLI, "serve", "--roles", options.roles],
    env: { ...options.env, HOST: "127.0.0.1", PORT: String(port), METRICS_PORT: String(opsPort) },
    ...(hasEdge ? { port } : {}),
    ready: () => answers("/readyz")(`http://127.0.0.1:${opsPort}`),
    logFile: serveLogFile(options.env, options.roles),
    ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}),
  })
}
