// Which domain events become which notifications, for whom and over which channel. Pure: the worker looks up the
// facts (`factsNeeded`), then `notificationsFor` decides. Each notification's id derives from the source event, the
// recipient and the channel (and device), so handling the same event again asks for nothing new.
import { type KioskEvent, kindsOf, type NotificationKind, type NotificationRequested, type PaymentEvent, type Recorded } from "../../commands/index.ts"
import { derivedId } from "../../platform/index.ts"
import type { ChannelName } from "./channels/channel.ts"
import type { KioskFacts, Recipient } from "./recipients.ts"
import type { Params, TemplateName } from "./templates.ts"

export type NotificationRequest = (typeof NotificationRequested.Type)["data"]
/** Distributes over the union, so that `type` narrows `data`. */
type RecordedEach<E> = E extends { readonly type: string; readonly data: unknown } ? Recorded<E> : never
export type SourceEvent = RecordedEach<PaymentEvent | KioskEvent>

export interface Policy {
  /** A payment above this many minor units (of its own currency) alerts the admins by SMS. */
  readonly largePaymentAlertMinor: number
}

export interface FactsNeeded {
  readonly kioskId: string
  /** The operator named by the event itself (payments carry it); otherwise the kiosk's current operator. */
  readonly operatorId?: string | null | undefined
  /** Whether the admins must be looked up: for an alert, or as the audience when the kiosk has no operator. */
  readonly admins: "yes" | "if-no-operator" | "no"
  /** Whether the kiosk was offline just before this event (a first heartbeat also brings it "online"). */
  readonly wasOffline?: boolean | undefined
}

export interface Facts {
  readonly kiosk: KioskFacts | undefined
  readonly operator: Recipient | undefined
  readonly admins: ReadonlyArray<Recipient>
  readonly wasOffline?: boolean | undefined
}

/** What must be looked up before deciding; undefined = this event never notifies anyone. */
export function factsNeeded(event: SourceEvent, policy: Policy): FactsNeeded | undefined {
  switch (event.type) {
    case "PaymentRecorded": {
      // A sale on a kiosk nobody operates, under the alert threshold, tells no one: nothing to look up.
      const large = isLarge(event.data.amount, policy)
      if (event.data.operatorId === null && !large) return undefined
      return { kioskId: event.data.kioskId, operatorId: event.data.operatorId, admins: large ? "yes" : "no" }
    }
    case "PaymentRefunded":
      if (event.data.operatorId === null) return undefined
      return { kioskId: event.data.kioskId, operatorId: event.data.operatorId, admins: "no" }
    case "KioskWentOffline":
      // Without an operator, admins hear about it instead.
      return { kioskId: event.data.kioskId, admins: "if-no-operator" }
    case "KioskCameOnline":
      return { kioskId: event.data.kioskId, admins: "if-no-operator", wasOffline: true }
    default:
      return undefined
  }
}

const isLarge = (amount: number, policy: Policy) => amount > policy.largePaymentAlertMinor

export function notificationsFor(event: SourceEvent, facts: Facts, policy: Policy): ReadonlyArray<NotificationRequest> {
  const kioskName = facts.kiosk?.name ?? event.data.kioskId
  // The kiosk's id travels with every message, so the console links a notification to its kiosk.
  const { kioskId } = event.data
  switch (event.type) {
    case "PaymentRecorded": {
      const { paymentId, amount, currency, occurredAt } = event.data
      const receipt = toPerson(event, facts.operator, "payment-receipt", { kioskId, kioskName, amount, currency, occurredAt, paymentId })
      const alerts = isLarge(amount, policy)
        ? facts.admins.flatMap((admin) =>
          toPerson(event, admin, "large-payment-alert", {
            kioskId, kioskName, amount, currency, paymentId, threshold: policy.largePaymentAlertMinor,
          }))
        : []
      return [...receipt, ...alerts]
    }
    case "PaymentRefunded": {
      const { paymentId, refundId, amount, currency, reason } = event.data
      return toPerson(event, facts.operator, "refund-notice", { kioskId, kioskName, amount, currency, paymentId, refundId, reason })
    }
    case "KioskWentOffline":
    case "KioskCameOnline": {
      // "Back online" clears an offline alert; a new kiosk's first heartbeat is no news.
      if (event.type === "KioskCameOnline" && !facts.wasOffline) return []
      const [template, params]: [Exclude<TemplateName, "test-email">, Params] = event.type === "KioskWentOffline"
        ? ["kiosk-offline", { kioskId, kioskName, lastSeenAt: event.data.lastSeenAt }]
        : ["kiosk-online", { kioskId, kioskName, at: event.data.at }]
      const audience = facts.operator ? [facts.operator] : facts.admins
      return audience.flatMap((person) => toPerson(event, person, template, params))
    }
    default:
      return []
  }
}

/** The kind of news each template is: what a person's preferences turn on or off. */
export const KIND_OF: Readonly<Record<Exclude<TemplateName, "test-email">, NotificationKind>> = {
  "payment-receipt": "receipts",
  "refund-notice": "refunds",
  "large-payment-alert": "largePayments",
  "kiosk-offline": "kioskStatus",
  "kiosk-online": "kioskStatus",
}
const CHANNELS: ReadonlyArray<ChannelName> = ["email", "sms", "push"]

/**
 * One request per channel the person can be reached on and wants this kind of news on (one per device for push).
 */
function toPerson(
  event: SourceEvent,
  person: Recipient | undefined,
  template: Exclude<TemplateName, "test-email">,
  params: Params,
): ReadonlyArray<NotificationRequest> {
  if (!person) return []
  const request = (channel: ChannelName, address: string): NotificationRequest => ({
    notificationId: notificationIdFor(event.id, person.userId, channel, address),
    channel,
    userId: person.userId,
    address,
    template,
    language: person.language,
    params,
    sourceEventId: event.id,
  })
  const wanted = kindsOf(person.preferences)[KIND_OF[template]]
  return CHANNELS.flatMap((channel) => {
    if (!person.preferences[channel] || !wanted[channel]) return []
    switch (channel) {
      case "email":
        return person.email ? [request("email", person.email)] : []
      case "sms":
        return person.phone ? [request("sms", person.phone)] : []
      case "push":
        return person.pushTokens.map((token) => request("push", token))
    }
  })
}

/** Same event, person, channel and address → same id: the subject `notifications.<id>` then exists already. */
export const notificationIdFor = (sourceEventId: string, userId: string, channel: ChannelName, address: string) =>
  derivedId("ntf", sourceEventId, userId, channel, address)

/** The admin's test email: one per request id the caller gives (an HTTP idempotency key, or a fresh id). */
export function testEmail(input: { readonly requestId: string; readonly to: string; readonly requestedBy: string; readonly language?: "en" | "es" }): NotificationRequest {
  return {
    notificationId: derivedId("ntf", "test-email", input.requestId),
    channel: "email",
    userId: null,
    address: input.to,
    template: "test-email",
    language: input.language ?? "en",
    params: { requestedBy: input.requestedBy },
    sourceEventId: null,
  }
}
