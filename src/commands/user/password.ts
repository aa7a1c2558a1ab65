// Human passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane), never stored or logged in clear.
import { availableParallelism } from "node:os"
import { hash, verify } from "@node-rs/argon2"
import { concurrencyLimit } from "../../platform/index.ts"

/** The parameters every password hash is made with (the bench's argon2 ceiling uses them too). */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/**
 * argon2 runs on libuv's pool (4 threads): a burst of logins on a 2-core machine took both cores from the event
 * loop, and payments waited seconds. At most this many hashes run at once, one core always left to the rest; the
 * others queue in arrival order (each client's logins are rate-limited before they get here).
 */
export const HASHES_AT_ONCE = Math.max(1, availableParallelism() - 1)

const limited = concurrencyLimit(HASHES_AT_ONCE)

export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 200

export const hashPassword = (password: string): Promise<string> => limited(() => hash(password, ARGON2_OPTIONS))

// A well-formed hash of a random password: verifying against it when the user does not exist costs the same
// time as a real check, so response times do not tell which usernames exist.
let decoy: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    decoy ??= hashPassword(`decoy-${process.pid}-${Date.now()}`)
    const decoyHash = await decoy
    await limited(() => verify(decoyHash, password)).catch(() => false)
    return false
  }
  return limited(() => verify(passwordHash, password)).catch(() => false)
}
