// The one text type for every string a caller sends (names, locations, display names, e-mail addresses, reasons,
// device status…). The event log is forever, so what it accepts must be storable by every read side: no C0/C1
// control characters (NUL included), no unpaired surrogates, bounded, never blank where a value is required.
// Decoding normalises (NFC, then trimmed), so what is appended is the normalised form.
import { Effect, Schema, SchemaGetter } from "effect"

export interface TextRules {
  /** Most code points, counted as sent (JSON Schema's maxLength counts the same way). */
  readonly max: number
  /** Whether nothing (after trimming) is an acceptable value: optional free text such as a location. */
  readonly blank?: boolean
  /** A further shape the text as sent must have (an e-mail address), with the message that explains it. */
  readonly pattern?: { readonly regex: RegExp; readonly message: string }
}

// C0 controls, DEL, C1 controls and the surrogate range: with the `u` flag (ajv uses it too) a surrogate pair is
// one code point above U+FFFF, so only an unpaired surrogate matches U+D800–U+DFFF.
const PRINTABLE = /^[^\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]*$/u
const NOT_BLANK = /\S/u

/** Unicode NFC can make a text at most three times longer in code points; stored text is bounded by that. */
const NFC_GROWTH = 3

export const normalizeText = (text: string): string => text.normalize("NFC").trim()

const codePoints = (text: string) => {
  let n = 0
  for (const _ of text) n++
  return n
}

export interface TextAnnotations {
  readonly title?: string
  readonly description?: string
}

/** What the API document says about a text field, unless the field says more. */
const describe = (rules: TextRules) =>
  `Text of at most ${rules.max} characters${rules.blank ? "" : ", not blank"}; no control characters. ` +
  "Stored NFC-normalised and trimmed."

// JSON Schema has no place for a pattern's meaning, so ajv reports "must match pattern …": the problem mapper
// asks here for the words instead.
const patternMessages = new Map<string, string>()
const pattern = (regex: RegExp, message: string) => {
  patternMessages.set(regex.source, message)
  return Schema.isPattern(regex, { message })
}
/** What a text pattern means, for a person reading a 400; undefined for a pattern that is not a text rule. */
export const textPatternMessage = (source: string): string | undefined => patternMessages.get(source)

/** Text as a caller sends it: the checks here are the ones the published JSON Schema carries. */
function asSent(rules: TextRules, annotations: TextAnnotations) {
  return Schema.String.annotate({ description: describe(rules), ...annotations }).check(
    Schema.isMaxCodePoints(rules.max),
    pattern(PRINTABLE, "must not contain control characters or unpaired surrogates"),
    ...(rules.blank ? [] : [pattern(NOT_BLANK, "must not be empty or only spaces")]),
    ...(rules.pattern ? [pattern(rules.pattern.regex, `must be ${rules.pattern.message}`)] : []),
  )
}

/**
 * A caller's text: validated as sent (ajv and the Effect decoder apply the same checks), then normalised on
 * decode. Encoding passes the normalised text through unchanged.
 */
export const Text = (rules: TextRules, annotations: TextAnnotations = {}) =>
  asSent(rules, annotations).pipe(Schema.decodeTo(Schema.String, {
    decode: SchemaGetter.transform(normalizeText),
    encode: SchemaGetter.passthrough(),
  }))

/** Whether `text` is what decoding a caller's text under `rules` can produce: the form the log may hold. */
export function isStorableText(text: string, rules: TextRules): boolean {
  return PRINTABLE.test(text)
    && text === normalizeText(text)
    && (rules.blank === true || text.length > 0)
    && codePoints(text) <= rules.max * NFC_GROWTH
}

/**
 * A text field of an event. Appending (encoding) refuses what `Text` could never have produced, so a bug
 * cannot put unstorable text in the log; reading (decoding) accepts whatever an older version wrote, so the
 * read side can still map it instead of failing on it.
 */
export const StoredText = (rules: TextRules) =>
  Schema.String.pipe(Schema.decode({
    decode: SchemaGetter.passthrough(),
    encode: SchemaGetter.checkEffect((text: string) =>
      Effect.succeed(isStorableText(text, rules) ? undefined : "is not normalised, storable text (control characters, unpaired surrogates, untrimmed, blank or too long)")),
  }))
