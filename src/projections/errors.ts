// The read side's typed failures: its database not answering, a model behind a write the caller already saw, and
// the operator tasks' refusals.
import { Schema } from "effect"

/**
 * A read-model query Postgres did not answer: unreachable, restarting, out of connections, or refusing the query.
 * `cause` is what pg said; the edge answers 503 with Retry-After when that names an outage, 500 otherwise.
 */
export class DbError extends Schema.TaggedError<DbError>()("DbError", {
  message: Schema.String,
  cause: Schema.Defect(),
}) {}

/** The model hasn't caught up with a write the caller already saw: the edge answers 503 with Retry-After. */
export class NotReady extends Schema.TaggedError<NotReady>()("NotReady", {
  message: Schema.String,
  projection: Schema.String,
  minSeq: Schema.Number,
  /** The checkpoint when the wait gave up. */
  reached: Schema.Number,
  retryAfterSeconds: Schema.Number,
}) {}

/** `projections rebuild <name>` for a name no projection has. */
export class UnknownProjection extends Schema.TaggedError<UnknownProjection>()("UnknownProjection", {
  message: Schema.String,
  name: Schema.String,
}) {}

/** Another process is rebuilding the same read model right now. */
export class RebuildBusy extends Schema.TaggedError<RebuildBusy>()("RebuildBusy", {
  message: Schema.String,
  projection: Schema.String,
}) {}

/** `projections parked retry|skip` for a sequence the projection never parked. */
export class NotParked extends Schema.TaggedError<NotParked>()("NotParked", {
  message: Schema.String,
  projection: Schema.String,
  seq: Schema.Number,
}) {}

/** A retry or skip of a parked event that was already decided (retried and applied, or skipped). */
export class ParkedAlreadyResolved extends Schema.TaggedError<ParkedAlreadyResolved>()("ParkedAlreadyResolved", {
  message: Schema.String,
  projection: Schema.String,
  seq: Schema.Number,
}) {}

/** A retried parked event failed again for a permanent reason: it stays parked, one more attempt recorded. */
export class StillParked extends Schema.TaggedError<StillParked>()("StillParked", {
  message: Schema.String,
  projection: Schema.String,
  seq: Schema.Number,
  error: Schema.String,
}) {}
