// Replay: PAYMENTS itself, row by row, for a sequence range, a recorded-time range, a business-time range and/or one
// kiosk, with each kiosk's name as it was when the payment was recorded (KIOSKS folded up to then). Streams: one
// pull batch in memory, plus the kiosks' name histories; a reader that stops iterating stops the consumer.
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import { type Actor, decodeStored, formatMinor, isCurrency, type KioskEvent, type PaymentEvent } from "../commands/index.ts"
import { csvLine, type Naming } from "../platform/index.ts"
import { readLog } from "./paymentLog.ts"

export interface ReplayRange {
  readonly fromSeq?: number | undefined
  readonly toSeq?: number | undefined
  /** Business time (a payment's occurredAt; a refund's is when it was recorded): [from, to). */
  readonly from?: string | undefined
  readonly to?: string | undefined
  /** Recorded time (the envelope's): [recordedFrom, recordedTo). */
  readonly recordedFrom?: string | undefined
  readonly recordedTo?: string | undefined
  readonly kioskId?: string | undefined
}

export interface ReplayRow {
  readonly seq: number
  readonly recorded_at: string
  readonly occurred_at: string
  readonly type: "PaymentRecorded" | "PaymentRefunded"
  readonly kiosk_id: string
  readonly kiosk_name: string | null
  readonly payment_id: string
  readonly amount: number
  readonly currency: string
  readonly refund_id: string | null
  readonly actor: string
  readonly correlation_id: string
}

export interface Clients {
  readonly js: JetStreamClient
  readonly jsm: JetStreamManager
}

/** A message's envelope time can lead the server's receive time by a little: start the time search this early. */
const CLOCK_SLACK_MS = 60_000

export const actorLabel = (actor: Actor) => (actor.kind === "system" ? `system:${actor.name}` : `${actor.kind}:${actor.id}`)

/** Each kiosk's names over time, from KIOSKS: the name a kiosk had at an instant. */
export class KioskNames {
  private readonly history = new Map<string, Array<{ readonly at: string; readonly name: string }>>()

  static async load(clients: Clients, names: Naming, kioskId?: string): Promise<KioskNames> {
    const index = new KioskNames()
    const subject = kioskId === undefined ? undefined : names.subject.kiosk(kioskId)
    for await (const m of readLog(clients.js, clients.jsm, names.stream("KIOSKS"), { subject })) {
      const stored = decodeStored(m.data, { stream: "KIOSKS", subject: m.subject, seq: m.seq })
      for (const e of stored.recorded as ReadonlyArray<KioskEvent>) {
        if (e.type === "KioskRegistered" || e.type === "KioskRenamed") index.add(e.data.kioskId, stored.commit.time, e.data.name)
      }
    }
    return index
  }

  add(kioskId: string, at: string, name: string): void {
    const list = this.history.get(kioskId) ?? []
    list.push({ at, name })
    this.history.set(kioskId, list)
  }

  at(kioskId: string, instant: string): string | null {
    const list = this.history.get(kioskId)
    if (list === undefined) return null
    let name: string | null = null
    for (const entry of list) {
      if (entry.at > instant) break
      name = entry.name
    }
    return name ?? list[0]!.name
  }
}

export interface ReplayOptions {
  readonly signal?: AbortSignal | undefined
  /** Told each PAYMENTS sequence read and the last one of the range (a progress bar). */
  readonly onProgress?: ((seq: number, lastSeq: number) => void) | undefined
}

/** The range's last sequence as of now: where a replay ends. */
export async function replayEnd(clients: Clients, names: Naming, range: ReplayRange): Promise<number> {
  const last = (await clients.jsm.streams.info(names.stream("PAYMENTS"))).state.last_seq
  return Math.min(last, range.toSeq ?? last)
}

export async function* replayPayments(clients: Clients, names: Naming, range: ReplayRange, options: ReplayOptions = {}): AsyncGenerator<ReplayRow> {
  const toSeq = await replayEnd(clients, names, range)
  const kioskNames = await KioskNames.load(clients, names, range.kioskId)
  const fromTime = range.recordedFrom === undefined ? undefined : new Date(Date.parse(range.recordedFrom) - CLOCK_SLACK_MS)
  const stopAfter = range.recordedTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(range.recordedTo) + CLOCK_SLACK_MS
  const messages = readLog(clients.js, clients.jsm, names.stream("PAYMENTS"), {
    fromSeq: range.fromSeq,
    ...(fromTime === undefined || range.fromSeq !== undefined ? {} : { fromTime }),
    toSeq,
    subject: range.kioskId === undefined ? undefined : names.subject.kioskPayments(range.kioskId),
    signal: options.signal,
  })
  for await (const m of messages) {
    if (range.fromSeq !== undefined && m.seq < range.fromSeq) continue
    if (m.storedAt.getTime() > stopAfter) return
    options.onProgress?.(m.seq, toSeq)
    const stored = decodeStored(m.data, { stream: "PAYMENTS", subject: m.subject, seq: m.seq })
    const recordedAt = stored.commit.time
    if (range.recordedFrom !== undefined && recordedAt < range.recordedFrom) continue
    if (range.recordedTo !== undefined && recordedAt >= range.recordedTo) continue
    for (const event of stored.recorded as ReadonlyArray<PaymentEvent>) {
      if (event.type !== "PaymentRecorded" && event.type !== "PaymentRefunded") continue
      const occurredAt = event.type === "PaymentRecorded" ? event.data.occurredAt : recordedAt
      if (range.from !== undefined && occurredAt < range.from) continue
      if (range.to !== undefined && occurredAt >= range.to) continue
      yield {
        seq: m.seq,
        recorded_at: recordedAt,
        occurred_at: occurredAt,
        type: event.type,
        kiosk_id: event.data.kioskId,
        kiosk_name: kioskNames.at(event.data.kioskId, recordedAt),
        payment_id: event.data.paymentId,
        amount: event.data.amount,
        currency: event.data.currency,
        refund_id: event.type === "PaymentRefunded" ? event.data.refundId : null,
        actor: actorLabel(stored.commit.actor),
        correlation_id: stored.commit.correlationId,
      }
    }
  }
}

export const REPLAY_CSV_HEADER = [
  "seq", "recorded_at", "occurred_at", "type", "kiosk_id", "kiosk_name", "payment_id", "amount_minor", "amount",
  "currency", "refund_id", "actor", "correlation_id",
] as const

export const replayCsvHeader = () => csvLine(REPLAY_CSV_HEADER)

export const replayCsvLine = (r: ReplayRow) => csvLine([
  r.seq, r.recorded_at, r.occurred_at, r.type, r.kiosk_id, r.kiosk_name, r.payment_id, r.amount,
  isCurrency(r.currency) ? formatMinor(r.amount, r.currency) : null, r.currency, r.refund_id, r.actor, r.correlation_id,
])

export const replayJsonLine = (r: ReplayRow) => `${JSON.stringify(r)}\n`

/** Describes a range in one line, for the access record. */
export function describeRange(r: ReplayRange): string {
  const parts = [
    r.fromSeq !== undefined || r.toSeq !== undefined ? `seq ${r.fromSeq ?? 1}-${r.toSeq ?? ""}` : undefined,
    r.from !== undefined || r.to !== undefined ? `business ${r.from ?? ""}..${r.to ?? ""}` : undefined,
    r.recordedFrom !== undefined || r.recordedTo !== undefined ? `recorded ${r.recordedFrom ?? ""}..${r.recordedTo ?? ""}` : undefined,
  ].filter((p) => p !== undefined)
  return parts.length === 0 ? "all" : parts.join(", ")
}
