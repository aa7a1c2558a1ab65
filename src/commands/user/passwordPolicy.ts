// Which passwords people may choose: none that an online guesser would try early. zxcvbn-ts (a maintained port of
// Dropbox's estimator) counts the guesses a cracker would need, knowing the common-password lists, English and
// Spanish words (the seed's language), names, keyboard walks, dates, repeats and l33t; the account's own
// username, display name and e-mail, and this product's name, count as known words too.
import { ZxcvbnFactory } from "@zxcvbn-ts/core"
import * as common from "@zxcvbn-ts/language-common"
import * as english from "@zxcvbn-ts/language-en"
import * as spanish from "@zxcvbn-ts/language-es-es"
import { Schema } from "effect"

/**
 * zxcvbn's score 3: at least 10^8 guesses, "safely unguessable" online and slow to crack offline against argon2id.
 * Scores 0–2 are the passwords that guessing lists and rules reach first.
 */
export const MIN_PASSWORD_SCORE = 3
/** Only this many leading characters are estimated: the estimator's cost grows fast with length, and a longer password is judged by its start. */
const ESTIMATED_LENGTH = 40

/** The password breaks the policy; `message` says why, with the estimator's advice. */
export class WeakPassword extends Schema.TaggedError<WeakPassword>()("WeakPassword", {
  message: Schema.String,
  /** The request field that holds the password. */
  field: Schema.String,
}) {}

/** What the estimator knows about this account: its words make a password weaker, as a guesser would try them first. */
export interface PasswordContext {
  readonly username: string
  readonly displayName?: string | null | undefined
  readonly email?: string | null | undefined
}

const PRODUCT_WORDS = ["admin", "kiosk", "adminkiosk", "admin-kiosk", "admin kiosk"]

// Building the ranked dictionaries takes about half a second: once per process, on first use.
let estimator: ZxcvbnFactory | undefined
const estimate = () => (estimator ??= new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary, ...spanish.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  maxLength: ESTIMATED_LENGTH,
  // The default (100) lets a symbol-heavy password cost seconds of CPU; 10 still sees "P4$$w0rd!".
  l33tMaxSubstitutions: 10,
}))

// Each word whole and in parts ("ana.garcia" → "ana", "garcia"), with and without accents ("García" → "Garcia").
function wordsOf(context: PasswordContext): Array<string> {
  const phrases = [context.username, context.displayName, context.email?.split("@")[0], context.email].filter((w): w is string => Boolean(w))
  const words = [...PRODUCT_WORDS, ...phrases, ...phrases.flatMap((w) => w.split(/[\s._@+-]+/u))]
  const plain = words.map((w) => w.normalize("NFD").replace(/\p{M}/gu, ""))
  return [...new Set([...words, ...plain])].filter((w) => w.length >= 3)
}

/** Why the password may not be used, or undefined when it may. Pure and synchronous (a few ms to ~0.1 s). */
export function passwordWeakness(password: string, context: PasswordContext): string | undefined {
  const result = estimate().check(password, wordsOf(context))
  if (result.score >= MIN_PASSWORD_SCORE) return undefined
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter((s): s is string => Boolean(s))
  if (advice.length === 0) advice.push(english.translations.suggestions.anotherWord)
  return `too easy to guess. ${advice.join(" ")}`
}

/** Fails with WeakPassword (naming `field`) when the policy refuses the password. */
export function requireStrongPassword(password: string, context: PasswordContext, field = "password"): WeakPassword | undefined {
  const weakness = passwordWeakness(password, context)
  return weakness === undefined ? undefined : new WeakPassword({ message: `${field}: ${weakness}`, field })
}
