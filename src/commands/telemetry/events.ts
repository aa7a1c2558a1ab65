import { Schema } from "effect"
import { defineEvent, Id, Timestamp } from "../shared/event.ts"

export const KioskHeartbeat = defineEvent("KioskHeartbeat", {
  kioskId: Id,
  at: Timestamp,
  appVersion: Schema.NullOr(Schema.String.check(Schema.isMaxCodePoints(40))),
  /** Free-form device health (printer paper, battery…), bounded. */
  status: Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Number, Schema.Boolean])),
})

export const TelemetryEvent = KioskHeartbeat
export type TelemetryEvent = typeof TelemetryEvent.Type
