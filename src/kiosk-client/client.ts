// A kiosk's store-and-forward client. `recordPayment` returns once the sale is durable on the device; a sender
// delivers the queue to the edge in the background, however long the network is away and however often the
// kiosk is killed. Runs in Node (file journal) and in browsers (IndexedDB); nothing here imports Node.
import { isCurrency, isValidAmount, kioskIdOfToken } from "../shared/index.ts"
import { DEFAULT_RETRY, type RetryPolicy, verdictOf } from "./delivery.ts"
import { type EdgeConnection, type HeartbeatStatus, postHeartbeat, problemOf } from "./edgeCalls.ts"
import type { Delivery, QueuedPayment, Rejection } from "./journal.ts"
import { openLedger } from "./ledger.ts"
import { fetchPairingLabel } from "./pairingLabel.ts"
import { type LinkState, startSender } from "./sender.ts"
import type { JournalStore } from "./store.ts"

export interface KioskClientOptions {
  /** The edge's origin ("" for the page's own origin in a browser). */
  readonly baseUrl: string
  readonly store: JournalStore
  /** The device token: needed on first run; later runs read the one kept in the journal (a different one here
   *  counts as a rotation). */
  readonly deviceToken?: string
  /** Reported by the heartbeat. */
  readonly appVersion?: string
  readonly retry?: Partial<RetryPolicy>
  readonly requestTimeoutMs?: number
  /** Sends a heartbeat this often while open (none when absent). */
  readonly heartbeatEveryMs?: number
  /** Settled records after which the journal is compacted. */
  readonly compactAfter?: number
  readonly fetch?: typeof fetch
  readonly now?: () => number
  readonly random?: () => number
}

export interface KioskStatus {
  readonly kioskId: string
  readonly queueDepth: number
  /** Business time of the oldest undelivered sale, and how long ago that was. */
  readonly oldestQueuedAt: string | null
  readonly oldestUndeliveredAgeMs: number | null
  readonly delivered: number
  readonly lastDelivered: Delivery | null
  readonly rejected: ReadonlyArray<Rejection>
  readonly reachable: boolean | null
  readonly credentialRefused: boolean
  readonly nextAttemptAt: string | null
  readonly lastError: string | null
}

export interface KioskClient {
  readonly kioskId: string
  /** Queues a sale (its Idempotency-Key and business time made now) and resolves once it is durable. */
  recordPayment(sale: { readonly amount: number; readonly currency: string }): Promise<QueuedPayment>
  /** Tells the edge the kiosk is alive: software version, uptime, queue depth. Not queued: a missed one is moot. */
  heartbeat(): Promise<{ readonly seq: number; readonly at: string }>
  /** Takes a new device token (from the rotate dialog's QR); queued and future sales go with it. */
  rotateCredential(deviceToken: string): Promise<void>
  status(): KioskStatus
  /** Whether this sale is still waiting to be delivered (false once delivered or rejected). */
  isQueued(key: string): boolean
  /** The kiosk's own pairing label (SVG), for an operator to scan; throws EdgeRequestFailed when unavailable. */
  pairingLabel(): Promise<string>
  /** Called on every change of the status; returns the unsubscribe. */
  subscribe(listener: (status: KioskStatus) => void): () => void
  /** Try the edge now instead of waiting out a back-off (e.g. the browser says it is online again). */
  retryNow(): void
  /** Resolves when nothing is queued; rejects after `timeoutMs`. */
  drained(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** The input was refused before anything was queued (the sale could never be accepted). */
export class InvalidSale extends Error {
  override readonly name = "InvalidSale"
}

/** The device token is not one of ours, or belongs to another kiosk than this journal's. */
export class InvalidCredential extends Error {
  override readonly name = "InvalidCredential"
}

/** A request the edge answered with an error, or never answered (`status` undefined). */
export class EdgeRequestFailed extends Error {
  override readonly name = "EdgeRequestFailed"
  readonly status: number | undefined
  constructor(message: string, status?: number) {
    super(message)
    this.status = status
  }
}

const kioskOf = (token: string): string => {
  const kioskId = kioskIdOfToken(token)
  if (kioskId === undefined) throw new InvalidCredential("this is not a kiosk device token (akd.<kiosk>.<secret>)")
  return kioskId
}

/** A version 4 UUID from getRandomValues (randomUUID exists only on secure origins; kiosks may be on plain HTTP). */
export function newIdempotencyKey(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export async function openKioskClient(options: KioskClientOptions): Promise<KioskClient> {
  const now = options.now ?? Date.now
  const startedAt = now()
  const ledger = await openLedger(options.store, { now, compactAfter: options.compactAfter })
  const iso = () => new Date(now()).toISOString()

  let kioskId: string
  try {
    const given = options.deviceToken
    if (given !== undefined && given !== ledger.state.token) {
      if (ledger.state.token !== null && kioskOf(given) !== kioskOf(ledger.state.token)) {
        throw new InvalidCredential("this journal belongs to another kiosk than the device token given")
      }
      kioskOf(given)
      await ledger.commit([{ kind: "credential", token: given, at: iso() }])
    }
    if (ledger.state.token === null) throw new InvalidCredential("no device token: pass deviceToken on first run")
    kioskId = kioskOf(ledger.state.token)
  } catch (error) {
    await ledger.close()
    throw error
  }
  const edge: EdgeConnection = {
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.requestTimeoutMs ?? 10_000,
    now,
  }
  const link: LinkState = { reachable: null, credentialRefused: false, failures: 0, nextAttemptAt: null, lastError: null }
  const listeners = new Set<(status: KioskStatus) => void>()
  const drainWaiters = new Set<() => void>()

  function status(): KioskStatus {
    const state = ledger.state
    const oldest = state.queue.values().next().value
    return {
      kioskId,
      queueDepth: state.queue.size,
      oldestQueuedAt: oldest?.occurredAt ?? null,
      oldestUndeliveredAgeMs: oldest === undefined ? null : Math.max(0, now() - Date.parse(oldest.occurredAt)),
      delivered: state.delivered,
      lastDelivered: state.lastDelivered,
      rejected: state.rejected,
      reachable: link.reachable,
      credentialRefused: link.credentialRefused,
      nextAttemptAt: link.nextAttemptAt === null ? null : new Date(link.nextAttemptAt).toISOString(),
      lastError: link.lastError,
    }
  }
  function changed() {
    const current = status()
    for (const listener of listeners) listener(current)
    if (current.queueDepth === 0) for (const done of drainWaiters) done()
  }

  const sender = startSender({ ledger, edge, link, changed, random: options.random ?? Math.random, policy: { ...DEFAULT_RETRY, ...options.retry } })

  async function heartbeat() {
    const token = ledger.state.token!
    const s = status()
    const report: HeartbeatStatus = {
      uptimeSeconds: Math.floor((now() - startedAt) / 1_000),
      queueDepth: s.queueDepth,
      oldestUndeliveredAgeSeconds: s.oldestUndeliveredAgeMs === null ? 0 : Math.floor(s.oldestUndeliveredAgeMs / 1_000),
      rejected: s.rejected.length,
      delivered: s.delivered,
    }
    const answer = await postHeartbeat(edge, token, kioskId, options.appVersion ?? "unknown", report)
    if (answer.kind === "unreachable") {
      link.reachable = false
      changed()
      throw new EdgeRequestFailed(`heartbeat: ${answer.reason}`)
    }
    link.reachable = true
    if (verdictOf(answer.status) === "hold" && ledger.state.token === token) link.credentialRefused = true
    changed()
    const body = answer.body as { seq?: unknown; at?: unknown } | undefined
    if (answer.status !== 202 || typeof body?.seq !== "number" || typeof body.at !== "string") {
      throw new EdgeRequestFailed(`heartbeat: HTTP ${answer.status}: ${problemOf(answer).detail}`, answer.status)
    }
    return { seq: body.seq, at: body.at }
  }

  // A kiosk says it is alive as soon as it starts, then every period.
  const beatQuietly = () => void heartbeat().catch(() => {})
  const beat = options.heartbeatEveryMs === undefined ? undefined : setInterval(beatQuietly, options.heartbeatEveryMs)
  if (beat !== undefined) beatQuietly()

  let closing: Promise<void> | undefined
  return {
    kioskId,
    async recordPayment(sale) {
      if (!isValidAmount(sale.amount)) throw new InvalidSale(`amount must be a positive integer of minor units; got ${sale.amount}`)
      if (!isCurrency(sale.currency)) throw new InvalidSale(`unknown currency "${sale.currency}"`)
      const payment: QueuedPayment = { key: newIdempotencyKey(), kioskId, amount: sale.amount, currency: sale.currency, occurredAt: iso() }
      await ledger.commit([{ kind: "queued", payment }])
      changed()
      sender.nudge()
      return payment
    },
    heartbeat,
    async rotateCredential(deviceToken) {
      if (kioskOf(deviceToken) !== kioskId) throw new InvalidCredential("this device token belongs to another kiosk")
      await ledger.commit([{ kind: "credential", token: deviceToken, at: iso() }])
      link.credentialRefused = false
      link.lastError = null
      changed()
      sender.retryNow()
    },
    status,
    isQueued: (key) => ledger.state.queue.has(key),
    async pairingLabel() {
      const label = await fetchPairingLabel({ baseUrl: edge.baseUrl, deviceToken: ledger.state.token!, fetch: edge.fetch, timeoutMs: edge.timeoutMs })
      if (label.kind === "label") return label.svg
      if (label.kind === "refused") throw new EdgeRequestFailed(`pairing label: HTTP ${label.status}: ${label.detail}`, label.status)
      throw new EdgeRequestFailed(`pairing label: ${label.kind === "unreachable" ? label.reason : "no device token"}`)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    retryNow: () => sender.retryNow(),
    drained(timeoutMs = 60_000) {
      if (ledger.state.queue.size === 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer)
          drainWaiters.delete(done)
          resolve()
        }
        const timer = setTimeout(() => {
          drainWaiters.delete(done)
          reject(new Error(`still ${ledger.state.queue.size} queued after ${timeoutMs} ms (last error: ${link.lastError ?? "none"})`))
        }, timeoutMs)
        drainWaiters.add(done)
      })
    },
    close() {
      closing ??= (async () => {
        clearInterval(beat)
        await sender.stop()
        await ledger.close()
      })()
      return closing
    },
  }
}
