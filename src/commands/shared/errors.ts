// The typed failures every command can end in. The edge turns each into exactly one HTTP problem.
import { Schema } from "effect"

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  message: Schema.String,
}) {}

/** The decision no longer holds against the current state (taken name, assigned elsewhere, lost race). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  message: Schema.String,
}) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  message: Schema.String,
}) {}

/** The input a refusal is about, named as the API names it (`occurred_at` in the body, `cursor` in the query). */
export const FieldRef = Schema.Struct({ in: Schema.Literals(["body", "querystring"]), name: Schema.String })
export type FieldRef = typeof FieldRef.Type

/** The command is well-formed but breaks a business rule (refund larger than what is left, reused key…). */
export class Invalid extends Schema.TaggedError<Invalid>()("Invalid", {
  message: Schema.String,
  field: Schema.optionalKey(FieldRef),
}) {}

export type DomainError = NotFound | Conflict | Forbidden | Invalid

/** The caller could not prove who it is (wrong password, unknown or revoked device token). */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  message: Schema.String,
}) {}
