import { Schema } from "effect"
import { defineEvent, Id, Instant, Timestamp } from "../shared/event.ts"
import { StoredText, Text, type TextRules } from "../shared/text.ts"

const APP_VERSION: TextRules = { max: 40 }
const STATUS_VALUE: TextRules = { max: 200, blank: true }
/** Device health keys are identifiers ("paper", "battery.level"): nothing to normalise, so no two can collide. */
const STATUS_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/u
const MAX_STATUS_ENTRIES = 32

/** A heartbeat as a kiosk sends it. Device health is free-form but bounded, so a chatty kiosk cannot grow the
 * telemetry stream without limit. */
export const HeartbeatInput = Schema.Struct({
  at: Schema.optionalKey(Instant),
  appVersion: Schema.optionalKey(Schema.NullOr(Text(APP_VERSION, { title: "AppVersion" }))),
  status: Schema.optionalKey(Schema.Record(
    Schema.String.check(Schema.isPattern(STATUS_KEY, { message: "a letter or digit, then up to 39 letters, digits, '_', '.' or '-'" })),
    Schema.Union([Text(STATUS_VALUE), Schema.Finite, Schema.Boolean]),
  ).check(Schema.isMaxProperties(MAX_STATUS_ENTRIES))),
})

export const KioskHeartbeat = defineEvent("KioskHeartbeat", {
  kioskId: Id,
  at: Timestamp,
  appVersion: Schema.NullOr(StoredText(APP_VERSION)),
  /** Free-form device health (printer paper, battery…), bounded. */
  status: Schema.Record(Schema.String, Schema.Union([StoredText(STATUS_VALUE), Schema.Number, Schema.Boolean])),
})

export const TelemetryEvent = KioskHeartbeat
export type TelemetryEvent = typeof TelemetryEvent.Type
