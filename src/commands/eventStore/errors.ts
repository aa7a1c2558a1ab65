// The event store's own failures. Domain errors (NotFound, Conflict…) come from deciders, not from here.
import { Schema } from "effect"

/** Someone appended to the subject since we loaded it (JetStream 10071): reload and decide again. */
export class WrongExpectedVersion extends Schema.TaggedError<WrongExpectedVersion>()("WrongExpectedVersion", {
  message: Schema.String,
  subject: Schema.String,
  expected: Schema.Number,
  /** The subject's last sequence as the server reported it, when it did. */
  actual: Schema.optionalKey(Schema.Number),
}) {}

/** NATS could not be reached or answered with an error we cannot act on; the command may be retried later. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  message: Schema.String,
  cause: Schema.Defect(),
}) {}

/**
 * A stored message that doesn't decode against the event catalogue. Never expected: it means a schema changed
 * without an upcaster, or something else wrote to our subjects. Raised as a defect, not a typed failure.
 */
export class CorruptEvent extends Error {
  override readonly name = "CorruptEvent"
  readonly stream: string
  readonly seq: number
  readonly subject: string
  constructor(at: { readonly stream: string; readonly seq: number; readonly subject: string }, detail: string) {
    super(`undecodable event at ${at.stream}#${at.seq} (${at.subject}): ${detail}`)
    this.stream = at.stream
    this.seq = at.seq
    this.subject = at.subject
  }
}
