// The bridge's promise: the JSON Schema Fastify validates a body with accepts exactly what the Effect Schema it was
// made from accepts — so validating once, at the edge, is validating by the domain's own rules. Checked with
// generated inputs (valid, nearly valid and junk) on every request body of the API.
import { Effect, Schema } from "effect"
import * as Arbitrary from "effect/Arbitrary"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CURRENCIES } from "../commands/index.ts"
import { LoginBody, OwnChange, PasswordChange, RefreshBody, RegisterBody } from "./routes/auth.ts"
import { NewUser, PasswordReset, UserChange } from "./routes/users.ts"
import { Heartbeat, KioskChangeBody, KioskRegistration, PairingBody } from "./routes/kiosks.ts"
import { TestEmailBody } from "./routes/notify.ts"
import { PaymentBody, RefundBody } from "./routes/payments.ts"
import { toJsonSchema, validatorCompiler } from "./schema.ts"

const BODIES = {
  RegisterBody, LoginBody, RefreshBody, UserChange, NewUser, PasswordReset, OwnChange, PasswordChange, KioskRegistration,
  KioskChangeBody, PairingBody, Heartbeat, PaymentBody, RefundBody, TestEmailBody,
} as const

// Values near the edges of our rules: lengths in code points, patterns, enums, integer bounds, real instants.
const tricky = fc.oneof(
  fc.constantFrom(
    "", "a", "EUR", "eur", "XXX", "JPY", "ksk_0123456789abcdefghjk", "KSK_01234567", "usr_zzzzzzzz", "x_1",
    "ABCD-1234", "ab", "KSK-ABCD-EFGH", "admin", "operator", "auditor", "kiosk", "en", "es", "fr",
    "2024-02-29T10:00:00Z", "2024-02-29T10:00:00.123Z", "2024-02-29 10:00:00", "ops@example.com", "not-an-email", "+34600111222", "0034600",
    "x".repeat(9), "x".repeat(10), "x".repeat(40), "x".repeat(41), "😀".repeat(80), "😀".repeat(81), "é".repeat(120), "é".repeat(121),
    "a".repeat(200), "a".repeat(201), "\ud800", "rt_abc", "with space", "'; DROP TABLE payments; --",
    // Caller text: controls, unpaired surrogates, blanks, padding, NFC-changing and NFC-lengthening input.
    "a\u0000b", "\u0000", "a\u0085b", "\u007f", "tab\there", "line\nbreak", "\udc00x", "   ", "\u3000", "  padded  ",
    " ops@example.com ", "Cafe\u0301", "\ufb2c".repeat(80), "\ufb2c".repeat(81), "paper", "battery.level", "a b",
  ),
  fc.constantFrom(0, -0, 1, -1, 12.5, 99_999_999, 100_000_000, 2 ** 53, 1e20, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(true, false, null),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 90 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.integer({ min: -10, max: 120_000_000 }),
  // A body comes through JSON.parse, which never yields Infinity or NaN (JSON Schema's "number" cannot exclude them).
  fc.double({ noDefaultInfinity: true, noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }),
)

/** Valid bodies from Effect's own generator for the schema (seeded, so a failure reproduces). */
const validSamples = (schema: Schema.Top) =>
  Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(Schema.toEncoded(schema) as Schema.Top), { count: 200, seed: 42 })) as ReadonlyArray<Record<string, unknown>>

/** Valid bodies, the same with one field changed, dropped or added, and junk. */
function inputs(schema: Schema.Top): fc.Arbitrary<unknown> {
  const samples = validSamples(schema)
  const valid = fc.constantFrom(...samples)
  const fields = [...new Set(samples.flatMap((s) => Object.keys(s)))]
  const nested = fc.dictionary(fc.constantFrom("displayName", "email", "phone", "language", "preferences", "paper", "sms", "push", "x"), tricky, { maxKeys: 4 })
  const value = fc.oneof({ weight: 4, arbitrary: tricky }, { weight: 1, arbitrary: nested })
  const changed = fc.tuple(valid, fc.constantFrom(...fields, "stray"), value).map(([body, field, v]) => ({ ...body, [field]: v }))
  const dropped = fc.tuple(valid, fc.constantFrom(...fields)).map(([body, field]) => {
    const copy = { ...body }
    delete copy[field]
    return copy
  })
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 5, arbitrary: changed },
    { weight: 1, arbitrary: dropped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  )
}

describe.each(Object.entries(BODIES))("%s", (_name, schema) => {
  const validate = validatorCompiler({ schema: toJsonSchema(schema, { closed: true }), method: "POST", url: "/", httpPart: "body" }) as (v: unknown) => boolean
  const decodes = (input: unknown) => Schema.decodeUnknownExit(schema)(input, { onExcessProperty: "error" })._tag === "Success"

  it("ajv (draft 2020-12) and the Effect decoder agree on every input", () => {
    let accepted = 0
    fc.assert(
      fc.property(inputs(schema), (input) => {
        // ajv may fill defaults in place; give each side its own copy.
        const verdict = decodes(structuredClone(input))
        expect(validate(structuredClone(input))).toBe(verdict)
        if (verdict) accepted++
      }),
      { numRuns: 3_000 },
    )
    // Both answers must have come up, or the agreement would be hollow.
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThan(3_000)
  })
})

describe("constraints that must survive the conversion", () => {
  it("integers, bounds, enums and patterns", () => {
    const payment = toJsonSchema(PaymentBody, { closed: true }) as { properties: Record<string, Record<string, unknown>> }
    expect(payment.properties.amount).toMatchObject({ type: "integer", exclusiveMinimum: 0, maximum: 99_999_999 })
    expect(payment.properties.currency!.enum).toEqual(CURRENCIES)
    expect(payment.properties.kiosk_id!.pattern).toBe("^[a-z]{2,4}_[0-9a-z]{8,64}$")
    expect(payment.properties.occurred_at!.pattern).toBeDefined()
    const registration = toJsonSchema(RegisterBody, { closed: true }) as { properties: Record<string, Record<string, unknown>> }
    expect(JSON.stringify(registration.properties.password)).toContain('{"minLength":10},{"maxLength":200}')
    expect(registration.properties.username!.pattern).toBeDefined()
  })

  it("closed bodies refuse unknown fields; headers and queries stay open", () => {
    expect(toJsonSchema(PaymentBody, { closed: true }).additionalProperties).toBe(false)
    expect(toJsonSchema(PaymentBody, { closed: false }).additionalProperties).not.toBe(false)
  })
})
