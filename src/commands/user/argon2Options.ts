// The argon2id parameters every password hash is made with: OWASP's minimum (19 MiB, 2 passes, 1 lane). Its own
// file so that the hashing threads load it without the rest of the write side.

/** The parameters every password hash is made with (the bench's argon2 ceiling uses them too). */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const
