// Every event type, the stream it lives on and its current schema version: the one catalogue.
import { Schema } from "effect"
import type { StreamKey } from "../platform/index.ts"
import { AuditEvent } from "./audit/events.ts"
import { KioskEvent } from "./kiosk/events.ts"
import { NotificationEvent } from "./notification/events.ts"
import { PaymentEvent } from "./payment/events.ts"
import { TelemetryEvent } from "./telemetry/events.ts"
import { UserEvent } from "./user/events.ts"

export const DomainEvent = Schema.Union([UserEvent, KioskEvent, PaymentEvent, TelemetryEvent, NotificationEvent, AuditEvent])
export type DomainEvent = typeof DomainEvent.Type
export type EventType = DomainEvent["type"]

const byStream = {
  USERS: UserEvent,
  KIOSKS: KioskEvent,
  PAYMENTS: PaymentEvent,
  TELEMETRY: Schema.Union([TelemetryEvent]),
  NOTIFICATIONS: NotificationEvent,
  AUDIT: AuditEvent,
} as const satisfies Record<StreamKey, Schema.Top>

const streamOfType = new Map<string, StreamKey>()
for (const [stream, union] of Object.entries(byStream) as Array<[StreamKey, (typeof byStream)[StreamKey]]>) {
  for (const member of union.members) streamOfType.set(member.fields.type.literal, stream)
}

export const EVENT_TYPES: ReadonlyArray<EventType> = [...streamOfType.keys()] as Array<EventType>
export const streamOf = (type: EventType): StreamKey => streamOfType.get(type)!
/** Every event is at version 1 today; an upcaster goes here when a schema changes shape. */
export const CURRENT_VERSION = 1

export const decodeEvent = Schema.decodeUnknownResult(DomainEvent)
export const eventSchemaFor = (stream: StreamKey) => byStream[stream]
