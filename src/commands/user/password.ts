// Human passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane), never stored or logged in clear.
import { hash, verify } from "@node-rs/argon2"

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 200

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS)

// A well-formed hash of a random password: verifying against it when the user does not exist costs the same
// time as a real check, so response times do not tell which usernames exist.
let decoy: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    decoy ??= hashPassword(`decoy-${process.pid}-${Date.now()}`)
    await verify(await decoy, password).catch(() => false)
    return false
  }
  return verify(passwordHash, password).catch(() => false)
}
