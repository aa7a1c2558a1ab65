// Starts projectorProcess.ts as a child process and waits for its "ready".
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { type Kysely, sql } from "kysely"
import type { Database } from "../../../src/projections/index.ts"

const RUNNER = fileURLToPath(new URL("./projectorProcess.ts", import.meta.url))

export interface ChildProjector {
  readonly process: ChildProcess
  readonly pid: number
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** What it wrote to stderr (and stdout after "ready"): for a failing test's message. */
  output(): string
}

export async function spawnProjector(env: Record<string, string>, options: { projections?: ReadonlyArray<string>; maxBatch?: number } = {}): Promise<ChildProjector> {
  const child = spawn(process.execPath, [RUNNER], {
    env: {
      ...process.env,
      ...env,
      ...(options.projections ? { PROJECTIONS: options.projections.join(",") } : {}),
      ...(options.maxBatch ? { MAX_BATCH: String(options.maxBatch) } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let out = ""
  child.stdout.on("data", (d: Buffer) => { out += d.toString() })
  child.stderr.on("data", (d: Buffer) => { out += d.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }))
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`projector child not ready after 30 s:\n${out}`)), 30_000)
    const check = () => {
      if (out.includes("ready\n")) { clearTimeout(timer); resolve() }
    }
    child.stdout.on("data", check)
    void exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`projector child exited (${code ?? signal}) before ready:\n${out}`)) })
  })
  return { process: child, pid: child.pid!, exited, output: () => out }
}

/** True while the child is inside a batch: one of its sessions holds a projection's advisory lock (taken first
 *  thing in every batch transaction, released at commit or rollback). */
export async function childInBatch(db: Kysely<Database>, namespace: string, pid: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity a join pg_locks l on l.pid = a.pid
    where a.application_name = ${`admin-kiosk:${namespace}:projector-${pid}`} and l.locktype = 'advisory' and l.granted`.execute(db)
  return (rows[0]?.n ?? 0) > 0
}
