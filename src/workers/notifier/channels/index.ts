// Picks each channel's adapter from the settings: the provider when it is configured, else the outbox.
import type { KV } from "@nats-io/kv"
import { Redacted } from "effect"
import type { AppSettings } from "../../../platform/index.ts"
import type { ChannelAdapter, ChannelName } from "./channel.ts"
import { fcmChannel } from "./fcm.ts"
import { outboxChannel } from "./outbox.ts"
import { smtpChannel } from "./smtp.ts"
import { twilioChannel } from "./twilio.ts"

export type { ChannelAdapter, ChannelName, Delivered, DeliveryHooks, OutgoingMessage } from "./channel.ts"
export { DeliveryFailure } from "./channel.ts"
export { listOutbox, openOutbox, type OutboxEntry } from "./outbox.ts"

export type ChannelSettings = Pick<AppSettings,
  | "smtpUrl" | "mailFrom" | "twilioAccountSid" | "twilioAuthToken" | "twilioFrom" | "twilioApiBase" | "fcmProjectId"
  | "googleCredentials" | "fcmApiBase" | "notifySendTimeoutMs">

export interface Channels {
  readonly byName: Readonly<Record<ChannelName, ChannelAdapter>>
  /** One line per channel for the start-up log: which provider, or why the outbox. */
  readonly summary: ReadonlyArray<string>
  close(): Promise<void>
}

export function makeChannels(settings: ChannelSettings, outbox: KV): Channels {
  const summary: Array<string> = []
  const timeoutMs = settings.notifySendTimeoutMs

  const email = settings.smtpUrl
    ? (summary.push(`email → SMTP ${redactUrl(settings.smtpUrl)}`), smtpChannel({ url: settings.smtpUrl, from: settings.mailFrom, timeoutMs }))
    : (summary.push("email → outbox (SMTP_URL is not set)"), outboxChannel("email", outbox))

  const { twilioAccountSid: sid, twilioAuthToken: token, twilioFrom: from } = settings
  const sms = sid && token && from
    ? (summary.push(`sms → Twilio ${settings.twilioApiBase ?? "https://api.twilio.com"}`),
      twilioChannel({ accountSid: sid, authToken: Redacted.value(token), from, apiBase: settings.twilioApiBase, timeoutMs }))
    : (summary.push("sms → outbox (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not all set)"), outboxChannel("sms", outbox))

  const push = settings.fcmProjectId && settings.googleCredentials
    ? (summary.push(`push → FCM project ${settings.fcmProjectId}${settings.fcmApiBase ? ` via ${settings.fcmApiBase}` : ""}`),
      fcmChannel({ projectId: settings.fcmProjectId, credentialsFile: settings.googleCredentials, apiBase: settings.fcmApiBase }))
    : (summary.push("push → outbox (FCM_PROJECT_ID and GOOGLE_APPLICATION_CREDENTIALS are not both set)"), outboxChannel("push", outbox))

  const byName = { email, sms, push }
  return { byName, summary, close: async () => void (await Promise.all(Object.values(byName).map((c) => c.close()))) }
}

/** The password never reaches a log line. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = "***"
    return parsed.toString()
  } catch {
    return "(unparseable SMTP_URL)"
  }
}
