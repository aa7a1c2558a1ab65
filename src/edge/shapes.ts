// HTTP shapes shared by several routes, composed from the domain's own field schemas (ids, usernames, kiosk
// names, amounts, currencies, contacts), so a rule changed there changes validation and docs here.
import { Schema } from "effect"
import {
  AmountSchema, Contact, ContactInput, CurrencySchema, Id, Instant, KioskCode, KioskLocation, KioskName, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PairingCode,
  Role, Text, Timestamp, Username,
} from "../commands/index.ts"

export { AmountSchema, Contact, ContactInput, CurrencySchema, Id, Instant, KioskCode, KioskLocation, KioskName, PairingCode, Role, Timestamp, Username }
/** Each resource's wire shape has one home, the write side's views, derived from the event schemas. */
export { ContactView, KioskView, ListedKioskView, ListedPaymentView, PaymentView, RefundView, UserView } from "../commands/index.ts"

/** A list's free-text filter (`q`, a location): caller text like any other, and may be empty. */
export const SearchText = (max: number) => Text({ max, blank: true })

export const Password = Schema.String.check(Schema.isBetweenCodePoints(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH))
  .annotate({
    title: "Password",
    description: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, and not easy to guess (a 422 says why)`,
  })

/** `{ id }` path parameters: a malformed id is a 400 before any lookup. */
export const IdParams = Schema.Struct({ id: Id })

/** A UTC calendar day in a query (sales, uptime): YYYY-MM-DD. */
export const Day = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\d$/u)).annotate({ description: "A UTC day, YYYY-MM-DD" })

/** A stream sequence: what a command answers with and what `min_seq` asks a query to wait for. */
export const Seq = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }))
  .annotate({ title: "Seq", description: "Stream sequence of the event" })

export const Cursor = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,512}$/u)).annotate({ description: "Opaque cursor from next_cursor" })

/** The query every list takes: page size, cursor and read-your-writes. */
export const pageQuery = {
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 200 }))),
  cursor: Schema.optionalKey(Cursor),
  min_seq: Schema.optionalKey(Seq),
} as const

/** `seq`, where a list sends it: the stream position the page reflects (resume /ws from it with `from_seq`). */
export const Page = <S extends Schema.Top>(item: S) =>
  Schema.Struct({ items: Schema.Array(item), next_cursor: Schema.NullOr(Schema.String), seq: Schema.optionalKey(Seq) })

/** `Idempotency-Key`: what makes a retried payment or refund happen once (printable ASCII, like Stripe's keys). */
export const IdempotencyKey = Schema.String.check(Schema.isPattern(/^[\x21-\x7e]{1,200}$/u))
  .annotate({ description: "A key unique to the operation the client means (a UUID is fine); a retry sends the same" })
