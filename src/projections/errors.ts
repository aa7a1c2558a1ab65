// The read side's own failure: the model hasn't caught up with a write the caller already saw. The edge answers
// 503 with Retry-After; the client asks again.
import { Schema } from "effect"

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
