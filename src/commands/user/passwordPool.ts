// A few worker threads that hash and check passwords (passwordThread.ts), requests answered in arrival order. The
// threads start when first needed, are unref'd while idle so they never hold a process open, and are replaced when
// one dies: whatever it had in hand fails with an error that says so, and the queue moves on to a fresh thread.
import { Worker } from "node:worker_threads"

export type PasswordRequest =
  | { readonly id: number; readonly op: "hash"; readonly password: string }
  | { readonly id: number; readonly op: "verify"; readonly hash: string; readonly password: string }

/** What a thread says first: whether it runs at low priority, and if not, why. */
export type PriorityReport =
  | { readonly kind: "priority"; readonly lowered: true; readonly nice: number }
  | { readonly kind: "priority"; readonly lowered: false; readonly reason: string }

export type PasswordReply =
  | PriorityReport
  | { readonly kind: "done"; readonly id: number; readonly value: string | boolean }
  | { readonly kind: "failed"; readonly id: number; readonly message: string }

export interface PasswordPoolOptions {
  /** Threads hashing at once while they run at low priority. */
  readonly size: number
  /** Threads hashing at once when a thread could not lower its priority (not Linux): they compete like any other. */
  readonly fallbackSize: number
  /** Told the first thread's priority report, once per pool. */
  readonly onPriority?: (report: PriorityReport) => void
  /** Starts one thread; tests wrap it to reach the Worker. */
  readonly spawn?: () => Worker
}

export interface PasswordPool {
  hash(password: string): Promise<string>
  verify(hash: string, password: string): Promise<boolean>
  /** Stops every thread; what is queued or in hand fails. Later calls fail too. */
  close(): Promise<void>
}

// The thread's file beside this one, with this module's own extension: .ts from the sources, .js from dist/.
const THREAD_URL = new URL(`./passwordThread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url)

// None of the process's own flags: the thread needs none, and some (--input-type, for one) make it fail to start.
export const spawnPasswordThread = (): Worker => new Worker(THREAD_URL, { name: "password-hashing", execArgv: [] })

interface Job {
  readonly request: PasswordRequest
  readonly resolve: (value: string | boolean) => void
  readonly reject: (error: Error) => void
}

export function passwordPool(options: PasswordPoolOptions): PasswordPool {
  for (const [name, n] of [["size", options.size], ["fallbackSize", options.fallbackSize]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a password pool's ${name} must be a positive integer, not ${n}`)
  }
  const spawn = options.spawn ?? spawnPasswordThread
  const queue: Array<Job> = []
  const idle: Array<Worker> = []
  const busy = new Map<Worker, Job>()
  // Until a thread says it runs at low priority, as few at once as when it cannot.
  let limit = options.fallbackSize
  let reported = false
  let fellBack = false
  let closed = false
  let nextId = 1

  function pump(): void {
    while (!closed && queue.length > 0 && busy.size < limit) {
      const worker = idle.pop() ?? start()
      const job = queue.shift()!
      busy.set(worker, job)
      worker.ref() // a caller is waiting on it
      worker.postMessage(job.request)
    }
  }

  function start(): Worker {
    const worker = spawn()
    worker.unref()
    let failure: Error | undefined
    worker.on("message", (reply: PasswordReply) => onReply(worker, reply))
    worker.on("error", (error) => { failure = error })
    worker.on("messageerror", (error) => {
      failure = error
      void worker.terminate()
    })
    worker.on("exit", (code) => onExit(worker, code, failure))
    return worker
  }

  function onReply(worker: Worker, reply: PasswordReply): void {
    if (reply.kind === "priority") {
      if (!reported) options.onPriority?.(reply)
      reported = true
      fellBack ||= !reply.lowered
      limit = fellBack ? options.fallbackSize : options.size
      return pump()
    }
    const job = busy.get(worker)
    if (job === undefined || job.request.id !== reply.id) return
    busy.delete(worker)
    idle.push(worker)
    worker.unref()
    if (reply.kind === "done") job.resolve(reply.value)
    else job.reject(new Error(`password hashing failed: ${reply.message}`))
    pump()
  }

  function onExit(worker: Worker, code: number, failure: Error | undefined): void {
    const at = idle.indexOf(worker)
    if (at >= 0) idle.splice(at, 1)
    const job = busy.get(worker)
    busy.delete(worker)
    if (job !== undefined) {
      const why = closed ? "the password pool was closed" : `its thread stopped (exit code ${code}${failure ? `: ${failure.message}` : ""})`
      job.reject(new Error(`password request ${job.request.id} not answered: ${why}`, { cause: failure }))
    }
    pump()
  }

  function run(request: PasswordRequest): Promise<string | boolean> {
    if (closed) return Promise.reject(new Error("the password pool is closed"))
    return new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject })
      pump()
    })
  }

  return {
    async hash(password) {
      const value = await run({ id: nextId++, op: "hash", password })
      if (typeof value !== "string") throw new Error("password hashing answered a hash request with no hash")
      return value
    },
    async verify(hash, password) {
      const value = await run({ id: nextId++, op: "verify", hash, password })
      if (typeof value !== "boolean") throw new Error("password hashing answered a verify request with no verdict")
      return value
    },
    async close() {
      closed = true
      for (const job of queue.splice(0)) job.reject(new Error(`password request ${job.request.id} not answered: the password pool was closed`))
      await Promise.all([...idle, ...busy.keys()].map((worker) => worker.terminate()))
    },
  }
}
