// One schema per event type: `{ type, data }`, used for validation, TypeScript types and the API docs alike.
import { Schema } from "effect"

export const defineEvent = <const Type extends string, const Fields extends Schema.Struct.Fields>(type: Type, fields: Fields) =>
  Schema.Struct({ type: Schema.Literal(type), data: Schema.Struct(fields) }).annotate({ identifier: type, title: type })

export const Id = Schema.String.check(Schema.isPattern(/^[a-z]{2,4}_[0-9a-z]{8,64}$/u)).annotate({ description: "Opaque id" })
export const Timestamp = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/u)).annotate({
  description: "ISO 8601 instant in UTC",
})
export const Role = Schema.Literals(["admin", "operator", "auditor"]).annotate({ title: "Role" })
export type Role = typeof Role.Type
export const Language = Schema.Literals(["en", "es"]).annotate({ title: "Language" })
export type Language = typeof Language.Type
