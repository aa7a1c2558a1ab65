// Topics a client may subscribe to. Each topic reads exactly one stream, so an event's `seq` (its message's
// stream sequence) and a resume's `from_seq` always mean the same thing for that topic.
import type { Naming, StreamKey } from "../../platform/index.ts"

/** The streams /ws forwards; USERS and TELEMETRY stay inside. */
export type LiveStream = Extract<StreamKey, "PAYMENTS" | "KIOSKS" | "NOTIFICATIONS">
export const LIVE_STREAMS: ReadonlyArray<LiveStream> = ["PAYMENTS", "KIOSKS", "NOTIFICATIONS"]
/** What an edge follows: the forwarded streams, and USERS, whose changes end live sessions (rights.ts). */
export type FollowedStream = LiveStream | "USERS"

export type Topic =
  /** Every payment event (PAYMENTS); operators get those of the payments taken while a kiosk was theirs. */
  | { readonly name: "payments"; readonly kind: "payments"; readonly stream: "PAYMENTS" }
  /**
   * One kiosk's PAYMENT events (PAYMENTS filtered to `payments.<kioskId>.*`), not its status changes; an operator
   * may subscribe while the kiosk is theirs, and gets only the payments taken while it was.
   */
  | { readonly name: string; readonly kind: "kiosk"; readonly stream: "PAYMENTS"; readonly kioskId: string }
  /** Kiosk registrations, renames, assignments, online/offline (KIOSKS). */
  | { readonly name: "kiosks"; readonly kind: "kiosks"; readonly stream: "KIOSKS" }
  /** Notification requests and their outcome (NOTIFICATIONS); non-admins get their own only. */
  | { readonly name: "notifications"; readonly kind: "notifications"; readonly stream: "NOTIFICATIONS" }

export type TopicKind = Topic["kind"]

const KIOSK_ID = /^[a-z]{2,4}_[0-9a-z]{8,64}$/

export function parseTopic(name: string): Topic | undefined {
  switch (name) {
    case "payments":
      return { name, kind: "payments", stream: "PAYMENTS" }
    case "kiosks":
      return { name, kind: "kiosks", stream: "KIOSKS" }
    case "notifications":
      return { name, kind: "notifications", stream: "NOTIFICATIONS" }
  }
  const kioskId = name.startsWith("kiosk:") ? name.slice("kiosk:".length) : undefined
  return kioskId !== undefined && KIOSK_ID.test(kioskId) ? { name, kind: "kiosk", stream: "PAYMENTS", kioskId } : undefined
}

export const kioskTopic = (kioskId: string) => `kiosk:${kioskId}`

/** The subject filter a resume replays with: the whole stream, or one kiosk's payments. */
export function replayFilter(topic: Topic, names: Naming): string | undefined {
  return topic.kind === "kiosk" ? names.subject.kioskPayments(topic.kioskId) : undefined
}

/** The aggregate id in a subject: `<ns>.payments.<kioskId>.<paymentId>` → kioskId, `<ns>.kiosks.<kioskId>` → kioskId… */
export function aggregateIdOf(subject: string): string | undefined {
  return subject.split(".")[2]
}

/** The topics a message of this stream is forwarded on. */
export function topicsOf(stream: FollowedStream, subject: string): ReadonlyArray<string> {
  switch (stream) {
    case "USERS":
      return []
    case "PAYMENTS": {
      const kioskId = aggregateIdOf(subject)
      return kioskId === undefined ? ["payments"] : ["payments", kioskTopic(kioskId)]
    }
    case "KIOSKS":
      return ["kiosks"]
    case "NOTIFICATIONS":
      return ["notifications"]
  }
}
