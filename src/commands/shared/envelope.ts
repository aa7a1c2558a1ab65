// What travels around an event: who did it, when, in answer to what. Stored once per JetStream message (a commit).
import { Schema } from "effect"
import { Id, Role, Timestamp } from "./event.ts"

export const Actor = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("user"), id: Id, role: Role }),
  Schema.Struct({ kind: Schema.Literal("kiosk"), id: Id }),
  Schema.Struct({ kind: Schema.Literal("system"), name: Schema.String }),
]).annotate({ title: "Actor" })
export type Actor = typeof Actor.Type

export const systemActor = (name: string): Actor => ({ kind: "system", name })

/** What a command handler is told about the request besides the command itself. */
export interface CommandContext {
  readonly actor: Actor
  readonly correlationId: string
  readonly causationId?: string | undefined
}

/** The body of one JetStream message: one decision, one or more events, appended atomically. */
export const Commit = Schema.Struct({
  id: Schema.String,
  time: Timestamp,
  actor: Actor,
  correlationId: Schema.String,
  causationId: Schema.optionalKey(Schema.String),
  events: Schema.NonEmptyArray(Schema.Struct({ type: Schema.String, version: Schema.Int, data: Schema.Unknown })),
})
export type Commit = typeof Commit.Type

/** An event as read back: its own id (the commit's, `#n` for later events in a multi-event commit) and position. */
export interface Recorded<Event extends { readonly type: string; readonly data: unknown }> {
  readonly id: string
  readonly type: Event["type"]
  readonly version: number
  readonly data: Event["data"]
  readonly time: string
  readonly actor: Actor
  readonly correlationId: string
  readonly causationId?: string | undefined
  readonly stream: string
  readonly subject: string
  readonly seq: number
}

export const eventIdAt = (commitId: string, index: number) => (index === 0 ? commitId : `${commitId}#${index}`)
