// The read side of a `serve` that runs the edge beside other roles, on a worker thread of the same process: the
// edge's event loop then does only the edge, and a second core works the projectors, the notifier and the
// forecaster's fits. The thread (readSideThreadMain.ts) builds its own runtime (its own NATS connection and
// Postgres pools), lowers its own CPU priority and starts its roles; this side starts and stops it, and asks it for readiness and metrics,
// which the main thread's ops server reports beside the edge's.
import { extname } from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type { Logger, MetricsSnapshot, ReadinessReport } from "../../platform/index.ts"
import { CliError } from "../command.ts"
import type { RoleName } from "./roles.ts"

/** What the main thread asks the read side's thread. */
export type ToThread = { readonly type: "stop" } | { readonly type: "readiness" | "metrics"; readonly id: number }

/** What the read side's thread tells the main thread. */
export type FromThread =
  | { readonly type: "started"; readonly roles: ReadonlyArray<RoleName> }
  /** Starting failed (the thread has stopped what it started): its stack, and the one line for an operational failure. */
  | { readonly type: "failed"; readonly error: string; readonly summary: string | undefined }
  | { readonly type: "readiness"; readonly id: number; readonly report: ReadinessReport }
  | { readonly type: "metrics"; readonly id: number; readonly snapshot: MetricsSnapshot }
  | { readonly type: "stopped" }

export interface ThreadData {
  readonly roles: ReadonlyArray<RoleName>
}

export interface ReadSideThread {
  readonly roles: ReadonlyArray<RoleName>
  /** Every role's checks, named as serve names them (`projector:lag`); not ready when the thread does not answer. */
  readiness(): Promise<ReadinessReport>
  metrics(): Promise<MetricsSnapshot>
  /** Settles with why, if the thread dies while it should run (it never settles otherwise). */
  readonly crashed: Promise<Error>
  /** Stops its roles in reverse start order and disposes its runtime, then the thread ends. */
  stop(): Promise<void>
}

/** As long as a readiness check may take (platform/readiness.ts); a scrape may wait a little longer. */
const READINESS_TIMEOUT_MS = 2_000
const METRICS_TIMEOUT_MS = 5_000

// The same folder's entry, .ts when run from source (Node strips the types) and .js from the built dist/.
const ENTRY = new URL(`./readSideThreadMain${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

/**
 * Starts the read side's roles on a worker thread whose settings come from `env`, and resolves once they all run;
 * `signal` aborting meanwhile ends the start early (the roles started so far run until `stop`).
 */
export async function startReadSideThread(
  roles: ReadonlyArray<RoleName>, env: Readonly<Record<string, string | undefined>>, log: Logger, signal: AbortSignal,
): Promise<ReadSideThread> {
  const definedEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
  const worker = new Worker(ENTRY, { name: "read-side", env: definedEnv, workerData: { roles } satisfies ThreadData })
  const post = (message: ToThread) => worker.postMessage(message)

  let expectedEnd = false
  let nextId = 0
  const pending = new Map<number, (message: FromThread) => void>()
  const waiters = new Set<{ on: ReadonlyArray<FromThread["type"]>; resolve: (message: FromThread) => void }>()
  const ended = new Promise<Error>((resolve) => {
    worker.once("error", (error) => resolve(error))
    worker.once("exit", (code) => resolve(new Error(`the read side's thread exited (code ${code})`)))
  })
  worker.on("message", (message: FromThread) => {
    if (message.type === "readiness" || message.type === "metrics") pending.get(message.id)?.(message)
    for (const waiter of waiters) if (waiter.on.includes(message.type)) waiter.resolve(message)
  })
  const until = (...on: ReadonlyArray<FromThread["type"]>) => new Promise<FromThread>((resolve) => {
    const waiter = { on, resolve: (message: FromThread) => { waiters.delete(waiter); resolve(message) } }
    waiters.add(waiter)
  })
  const ask = <T extends "readiness" | "metrics">(type: T, timeoutMs: number) => new Promise<Extract<FromThread, { type: T }>>((resolve, reject) => {
    const id = nextId++
    const timer = setTimeout(() => {
      pending.delete(id)
      reject(new Error(`the read side's thread did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    pending.set(id, (message) => {
      clearTimeout(timer)
      pending.delete(id)
      resolve(message as Extract<FromThread, { type: T }>)
    })
    post({ type, id })
  })

  let stopping: Promise<void> | undefined
  const stop = () => (stopping ??= (async () => {
    expectedEnd = true
    const done = Promise.race([until("stopped"), ended])
    post({ type: "stop" })
    const outcome = await done
    // Its runtime is disposed: nothing it still holds is worth waiting for.
    await worker.terminate()
    if (outcome instanceof Error) throw outcome
  })())

  const onAbort = () => void stop().catch((error: unknown) => log.error({ err: error }, "the read side's thread did not stop cleanly"))
  if (signal.aborted) onAbort()
  else signal.addEventListener("abort", onAbort, { once: true })
  const first = await Promise.race([until("started", "failed"), ended])
  signal.removeEventListener("abort", onAbort)
  if (first instanceof Error) throw first
  if (first.type === "failed") {
    await worker.terminate()
    throw first.summary === undefined ? new Error(`the read side's thread failed to start: ${first.error}`) : new CliError(first.summary)
  }
  const started = first as Extract<FromThread, { type: "started" }>
  return {
    roles: started.roles,
    async readiness() {
      try {
        return (await ask("readiness", READINESS_TIMEOUT_MS)).report
      } catch (error) {
        log.warn({ err: error }, "the read side's thread did not answer the readiness probe")
        return { "read-side-thread": { ok: false, detail: "the read side's thread did not answer" } }
      }
    },
    metrics: async () => (await ask("metrics", METRICS_TIMEOUT_MS)).snapshot,
    // Once asked to stop, its end is expected, not a crash.
    crashed: ended.then((error) => (expectedEnd ? new Promise<Error>(() => undefined) : error)),
    stop,
  }
}
