// Human passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane), never stored or logged in clear.
import { availableParallelism } from "node:os"
import { Effect, Layer } from "effect"
import { type Logger, makeLogger, Settings } from "../../platform/index.ts"
import { type PasswordPool, passwordPool, type PriorityReport } from "./passwordPool.ts"

export { ARGON2_OPTIONS } from "./argon2Options.ts"

/**
 * Hashes run on their own threads at the lowest priority (passwordThread.ts), one per core: the event loop takes
 * the CPU from a hash whenever it has a request, and a burst of logins queues in arrival order (each client's
 * logins are rate-limited before they get here). Linux weighs nice values within a session (autogroup) or cgroup,
 * so other processes (NATS) still share the CPU with this one as a whole. At most 4, as many as libuv's pool ran
 * before: each hash holds 19 MiB, and in a container the cores counted are the host's, not the quota's. Where a
 * thread cannot lower its priority (not Linux), one per core but one, leaving a core to the rest.
 */
const HASHING_THREADS = Math.min(4, availableParallelism())
const HASHES_AT_ONCE_AT_NORMAL_PRIORITY = Math.max(1, Math.min(4, availableParallelism() - 1))

export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 200

let pool: PasswordPool | undefined
let logger: Logger | undefined
let reported = false

function report(priority: PriorityReport): void {
  if (reported || logger === undefined) return
  reported = true
  if (priority.lowered) logger.info({ threads: HASHING_THREADS, nice: priority.nice }, "password hashing runs at low priority")
  else logger.info({ threads: HASHES_AT_ONCE_AT_NORMAL_PRIORITY, reason: priority.reason }, "password hashing runs at normal priority: its threads could not lower theirs")
}

const hashing = () =>
  (pool ??= passwordPool({ size: HASHING_THREADS, fallbackSize: HASHES_AT_ONCE_AT_NORMAL_PRIORITY, onPriority: report }))

/** Stops the hashing threads (what is queued or in hand fails); the next hash starts new ones. */
export async function closePasswordHashing(): Promise<void> {
  const closing = pool
  pool = undefined
  await closing?.close()
}

/** Part of every process's write side: says once how passwords are hashed, and stops the threads on release. */
export const passwordHashingLayer = Layer.effectDiscard(Effect.gen(function* () {
  const settings = yield* Settings
  yield* Effect.acquireRelease(
    Effect.sync(() => { logger = makeLogger(settings, "passwords") }),
    () => Effect.promise(closePasswordHashing),
  )
}))

export const hashPassword = (password: string): Promise<string> => hashing().hash(password)

// A well-formed hash of a random password: verifying against it when the user does not exist costs the same
// time as a real check, so response times do not tell which usernames exist.
let decoy: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    decoy ??= hashPassword(`decoy-${process.pid}-${Date.now()}`).catch((error: unknown) => {
      decoy = undefined // the next unknown username tries again
      throw error
    })
    await hashing().verify(await decoy, password)
    return false
  }
  return hashing().verify(passwordHash, password)
}
