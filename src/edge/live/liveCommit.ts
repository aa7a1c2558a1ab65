// One stored message as the edge forwards it: its events (secrets removed), who it concerns, and its frames,
// serialised once per topic and shared by every connection that receives them.
import type { StoredCommit } from "../../commands/index.ts"
import type { PublicEvent } from "./protocol.ts"
import { aggregateIdOf, type FollowedStream, topicsOf } from "./topics.ts"

/** Fields that never leave the edge: hashes of credentials and request fingerprints. */
const HIDDEN: Readonly<Record<string, ReadonlyArray<string>>> = {
  UserRegistered: ["passwordHash"],
  UserPasswordChanged: ["passwordHash"],
  UserPasswordReset: ["passwordHash"],
  UserPushDeviceAdded: ["deviceToken"],
  UserPushDeviceRemoved: ["deviceToken"],
  KioskRegistered: ["credentialHash"],
  KioskCredentialRotated: ["credentialHash"],
  PaymentRecorded: ["requestHash"],
}

export class LiveCommit {
  readonly stream: FollowedStream
  readonly seq: number
  readonly subject: string
  /** The kiosk a PAYMENTS or KIOSKS message is about. */
  readonly kioskId: string | undefined
  readonly events: ReadonlyArray<PublicEvent>
  readonly topics: ReadonlyArray<string>
  /** When it was recorded (ms since epoch), for the event-age metric. */
  readonly recordedAt: number
  /** The user a NOTIFICATIONS message is for (null: an address typed by an admin); set by `recipients`. */
  recipient: string | null | undefined
  private readonly frameCache = new Map<string, ReadonlyArray<Buffer>>()

  constructor(stream: FollowedStream, stored: StoredCommit) {
    this.stream = stream
    this.seq = stored.seq
    this.subject = stored.subject
    this.kioskId = stream === "PAYMENTS" || stream === "KIOSKS" ? aggregateIdOf(stored.subject) : undefined
    this.topics = topicsOf(stream, stored.subject)
    this.recordedAt = Date.parse(stored.commit.time)
    this.events = stored.recorded.map((e) => ({ id: e.id, type: e.type, version: e.version, data: publicData(e.type, e.data), time: e.time }))
    const requested = stored.recorded.find((e) => e.type === "NotificationRequested")
    this.recipient = requested === undefined ? undefined : (requested.data as { userId: string | null }).userId
  }

  /** The `event` frames (protocol.ts, EventMessage) of this message on `topic`: one per event, sharing its seq. */
  framesFor(topic: string): ReadonlyArray<Buffer> {
    let found = this.frameCache.get(topic)
    if (found === undefined) {
      const head = `{"type":"event","topic":${JSON.stringify(topic)},"seq":${this.seq},"event":`
      found = this.events.map((event) => Buffer.from(`${head}${JSON.stringify(event)}}`))
      this.frameCache.set(topic, found)
    }
    return found
  }

  eventTypes(): ReadonlyArray<string> {
    return this.events.map((e) => e.type)
  }
}

function publicData(type: string, data: unknown): Readonly<Record<string, unknown>> {
  const hidden = HIDDEN[type]
  const record = data as Record<string, unknown>
  if (hidden === undefined) return record
  return Object.fromEntries(Object.entries(record).filter(([key]) => !hidden.includes(key)))
}
