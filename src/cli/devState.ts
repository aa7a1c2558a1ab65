// Where the services of a running `admin-kiosk dev` are, so that a second terminal's `admin-kiosk users create`
// (or any other command) reaches them with no environment set: dev writes `.data/dev.json` once its services
// answer and removes it when it stops; the other commands fill in NATS_URL, DATABASE_URL and APP_NAMESPACE from
// it when those are unset and the dev process that wrote it is still alive.
import { readFileSync } from "node:fs"
import { rm, writeFile } from "node:fs/promises"
import { join } from "node:path"

export const DEFAULT_DATA_DIR = ".data"
const STATE_FILE = "dev.json"

export interface DevState {
  readonly pid: number
  readonly natsUrl: string
  readonly databaseUrl: string
  readonly namespace: string
}

export async function writeDevState(dataDir: string, state: DevState): Promise<void> {
  // The Postgres URL carries the embedded cluster's password: readable by this user only.
  await writeFile(join(dataDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
}

export async function clearDevState(dataDir: string): Promise<void> {
  await rm(join(dataDir, STATE_FILE), { force: true })
}

/** The state of a dev process that is still running, from `dataDir` (relative to the working directory). */
export function runningDevState(dataDir = DEFAULT_DATA_DIR): DevState | undefined {
  let state: DevState
  try {
    state = JSON.parse(readFileSync(join(dataDir, STATE_FILE), "utf8")) as DevState
  } catch {
    return undefined
  }
  return isAlive(state.pid) ? state : undefined
}

/** `env` with the unset connection variables taken from a running dev; `used` says whether any was. */
export function withDevServices(env: Record<string, string | undefined>, state = runningDevState()) {
  if (state === undefined || (env.NATS_URL && env.DATABASE_URL)) return { env, used: undefined }
  return {
    env: { ...env, NATS_URL: env.NATS_URL || state.natsUrl, DATABASE_URL: env.DATABASE_URL || state.databaseUrl,
      APP_NAMESPACE: env.APP_NAMESPACE || state.namespace },
    used: state,
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}
