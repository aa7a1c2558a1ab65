// How guessable a machine key is. Keys are meant to be random (`openssl rand -base64 32`), so the estimate
// asks "how many bits would it take to write this string down?" in two ways and keeps the lower:
//  - by character frequency (Shannon entropy × length): catches few distinct characters and skew ("aaaa…b");
//  - by structure (a greedy parse where a run that repeats earlier text, or continues a constant step such as
//    "abcd", "2468" or "aaaa", costs one short reference; every other character costs log2 of its alphabet):
//    catches "abcabc…", "0123…", "passwordpassword…".
// A random 128-bit key written as 32 hex characters estimates at about 110–125 bits; anything with visible
// structure lands far lower. Words are not recognised: "correct-horse-battery-staple-jwt" passes, so the README
// asks for generated keys.

/** A run of at least this many characters is structure, not chance. */
const MIN_RUN = 3

/** The lower of the frequency and the structure estimates, in bits. */
export function estimateSecretBits(secret: string): number {
  const codes = Array.from(secret, (c) => c.codePointAt(0)!)
  if (codes.length === 0) return 0
  return Math.min(frequencyBits(codes), structureBits(codes, Math.log2(alphabetOf(secret))))
}

function frequencyBits(codes: ReadonlyArray<number>): number {
  const counts = new Map<number, number>()
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1)
  let perChar = 0
  for (const count of counts.values()) {
    const p = count / codes.length
    perChar -= p * Math.log2(p)
  }
  return perChar * codes.length
}

function structureBits(codes: ReadonlyArray<number>, literal: number): number {
  // A reference names where the run starts (or that it is a step) and how long it is.
  const reference = 2 * Math.log2(Math.max(2, codes.length))
  let bits = 0
  for (let i = 0; i < codes.length;) {
    const run = Math.max(repeatAt(codes, i), stepAt(codes, i))
    if (run >= MIN_RUN) {
      bits += reference
      i += run
    } else {
      bits += literal
      i += 1
    }
  }
  return bits
}

/** The longest stretch from `i` that copies earlier text (it may overlap itself, as "abab…" does). */
function repeatAt(codes: ReadonlyArray<number>, i: number): number {
  let best = 0
  for (let j = 0; j < i; j++) {
    let k = 0
    while (i + k < codes.length && codes[j + k] === codes[i + k]) k++
    if (k > best) best = k
  }
  return best
}

/** The longest stretch from `i` that continues the step between the two characters before it. */
function stepAt(codes: ReadonlyArray<number>, i: number): number {
  if (i < 2) return 0
  const step = codes[i - 1]! - codes[i - 2]!
  let k = 0
  while (i + k < codes.length && codes[i + k]! - codes[i + k - 1]! === step) k++
  return k
}

// The smallest usual alphabet the key is drawn from: what a generator of that format could have produced.
const ALPHABETS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^[0-9]+$/u, 10],
  [/^[0-9a-f]+$/u, 16],
  [/^[0-9A-F]+$/u, 16],
  [/^[a-z]+$/u, 26],
  [/^[a-z0-9]+$/u, 36],
  [/^[A-Za-z0-9]+$/u, 62],
  [/^[A-Za-z0-9+/=_-]+$/u, 64],
  [/^[\x20-\x7e]+$/u, 95],
]

function alphabetOf(secret: string): number {
  return ALPHABETS.find(([pattern]) => pattern.test(secret))?.[1] ?? 256
}
