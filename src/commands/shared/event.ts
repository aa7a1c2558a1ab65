// One schema per event type: `{ type, data }`, used for validation, TypeScript types and the API docs alike.
import { Effect, Schema, SchemaGetter } from "effect"
import { isStorableInstant } from "./instant.ts"

export const defineEvent = <const Type extends string, const Fields extends Schema.Struct.Fields>(type: Type, fields: Fields) =>
  Schema.Struct({ type: Schema.Literal(type), data: Schema.Struct(fields) }).annotate({ identifier: type, title: type })

export const Id = Schema.String.check(Schema.isPattern(/^[a-z]{2,4}_[0-9a-z]{8,64}$/u)).annotate({ description: "Opaque id" })
/**
 * An instant in an event or a response. Appending refuses one Postgres could not store (year 0, Feb 30); reading
 * accepts what older versions wrote, so a read side can still map it.
 */
export const Timestamp = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/u)).pipe(Schema.decode({
  decode: SchemaGetter.passthrough(),
  encode: SchemaGetter.checkEffect((value: string) => Effect.succeed(isStorableInstant(value) ? undefined : "is not a storable instant")),
})).annotate({ description: "ISO 8601 instant in UTC" })
/** An instant a caller sends: UTC, seconds, at most nanoseconds. Whether it is real and recent is the decider's call. */
export const Instant = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/u))
  .annotate({ description: "ISO 8601 instant in UTC, e.g. 2026-03-01T10:00:00Z" })
export const Role = Schema.Literals(["admin", "operator", "auditor"]).annotate({ title: "Role" })
export type Role = typeof Role.Type
export const Language = Schema.Literals(["en", "es"]).annotate({ title: "Language" })
export type Language = typeof Language.Type
