// Slows password guessing on one account without letting anyone lock its owner out.
//
// - Per account and address: each attempt counts until a success clears it. After `freeAttempts` attempts, the
//   next one from that address for that account must wait 1 s, then 2 s, 4 s… up to `maxWaitMs`; an attempt that
//   comes earlier is refused (429 with Retry-After) before any password is checked. Other addresses are untouched,
//   so a guesser blocks only themselves.
// - Per account, over all addresses: once `attackThreshold` attempts have failed, the account is under attack. An
//   address that has not signed in to it before then gets no free attempts and each of its answers is held back
//   (250 ms doubling up to `maxHoldMs`), which costs a botnet time on every guess. Addresses the owner signed in
//   from (the last few are remembered) keep the normal rules, and any address still gets its first attempt at
//   once: the owner is slowed at worst, never refused.
// - A success clears that address's count and the account's. Counts idle for `forgetAfterMs` start over. Both
//   tables are bounded (least recently used entries go first), so a flood of names cannot exhaust memory.
// Each edge keeps its own tables, so N edges allow N times the attempts; the per-address rate limit and the
// password policy stay the main defence against guessing spread over many accounts.

export interface SlowdownPolicy {
  /** Attempts from one address on one account before the waits start. */
  readonly freeAttempts: number
  /** The first wait; each further attempt doubles it. */
  readonly firstWaitMs: number
  readonly maxWaitMs: number
  /** Failed attempts on one account (all addresses) after which it counts as under attack. */
  readonly attackThreshold: number
  /** The first hold on an unknown address's answer while the account is under attack; it doubles per failure. */
  readonly firstHoldMs: number
  readonly maxHoldMs: number
  /** A count with no attempt for this long starts over. */
  readonly forgetAfterMs: number
  /** Addresses per account remembered as the owner's (where it last signed in successfully). */
  readonly knownAddresses: number
  /** Most (account, address) pairs and accounts remembered. */
  readonly maxPairs: number
  readonly maxAccounts: number
}

export const DEFAULT_SLOWDOWN: SlowdownPolicy = {
  freeAttempts: 5,
  firstWaitMs: 1_000,
  maxWaitMs: 15 * 60_000,
  attackThreshold: 20,
  firstHoldMs: 250,
  maxHoldMs: 4_000,
  forgetAfterMs: 30 * 60_000,
  knownAddresses: 8,
  maxPairs: 50_000,
  maxAccounts: 20_000,
}

/** Refused before the password is checked: come back after `retryAfterMs`. */
export interface Wait {
  readonly kind: "wait"
  readonly retryAfterMs: number
}
/** Let through: hold the answer `holdMs` first (0 unless the account is under attack and the address unknown). */
export interface Go {
  readonly kind: "go"
  readonly holdMs: number
}

interface PairCount {
  attempts: number
  lastAt: number
  blockedUntil: number
}
interface AccountCount {
  failures: number
  lastAt: number
  known: Array<string>
}

export interface LoginSlowdown {
  /** Counts an attempt (as failed until `succeeded` says otherwise), or refuses it while its address must wait. */
  admit(account: string, address: string): Wait | Go
  succeeded(account: string, address: string): void
}

export function loginSlowdown(policy: SlowdownPolicy = DEFAULT_SLOWDOWN, now: () => number = Date.now): LoginSlowdown {
  const pairs = boundedMap<string, PairCount>(policy.maxPairs)
  const accounts = boundedMap<string, AccountCount>(policy.maxAccounts)
  const pairKey = (account: string, address: string) => `${account}\u0000${address}`
  const fresh = <C extends { lastAt: number }>(count: C | undefined, at: number) =>
    count !== undefined && at - count.lastAt < policy.forgetAfterMs ? count : undefined

  return {
    admit(account, address) {
      const at = now()
      const key = pairKey(account, address)
      const pair = fresh(pairs.get(key), at) ?? { attempts: 0, lastAt: at, blockedUntil: 0 }
      if (at < pair.blockedUntil) return { kind: "wait", retryAfterMs: pair.blockedUntil - at }

      const stored = accounts.get(account)
      const known = stored?.known ?? []
      const whole = fresh(stored, at) ?? { failures: 0, lastAt: at, known }
      const suspect = whole.failures >= policy.attackThreshold && !known.includes(address)
      const holdMs = suspect ? Math.min(policy.maxHoldMs, policy.firstHoldMs * 2 ** (whole.failures - policy.attackThreshold)) : 0

      pair.attempts += 1
      pair.lastAt = at
      const over = pair.attempts - (suspect ? 0 : policy.freeAttempts)
      if (over > 0) pair.blockedUntil = at + Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** (over - 1))
      pairs.set(key, pair)
      whole.failures += 1
      whole.lastAt = at
      accounts.set(account, whole)
      return { kind: "go", holdMs }
    },

    succeeded(account, address) {
      pairs.delete(pairKey(account, address))
      const known = [address, ...(accounts.get(account)?.known ?? []).filter((a) => a !== address)].slice(0, policy.knownAddresses)
      accounts.set(account, { failures: 0, lastAt: now(), known })
    },
  }
}

/** A Map that forgets its least recently used entry beyond `max` entries. */
function boundedMap<K, V>(max: number) {
  const map = new Map<K, V>()
  return {
    get(key: K): V | undefined {
      const value = map.get(key)
      if (value !== undefined) {
        map.delete(key)
        map.set(key, value)
      }
      return value
    },
    set(key: K, value: V) {
      map.delete(key)
      map.set(key, value)
      if (map.size > max) map.delete(map.keys().next().value as K)
    },
    delete: (key: K) => map.delete(key),
    get size() {
      return map.size
    },
  }
}
