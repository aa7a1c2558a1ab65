// A fleet of simulated kiosks, each one the real kiosk client library on its own file journal, selling at random
// (one Poisson process for the whole fleet, each sale at a random kiosk) against a running edge. A kiosk can be
// cut off the network on a schedule: its requests then fail as a dead link does, and it keeps selling.
import { join } from "node:path"
import { type KioskClient, openFileJournal, openKioskClient } from "../../kiosk-client/node.ts"

export interface SimulatedKiosk {
  readonly journal: string
  /** Needed when the journal is new; a journal from an earlier run holds its own. */
  readonly deviceToken?: string
}

export interface FleetOptions {
  readonly edgeUrl: string
  readonly kiosks: ReadonlyArray<SimulatedKiosk>
  /** Sales per second, for the whole fleet. */
  readonly ratePerSecond: number
  readonly currency: string
  /** Each kiosk loses the network this often (seconds), at its own phase… */
  readonly offlineEverySeconds?: number
  /** …for this long each time (seconds). */
  readonly offlineForSeconds?: number
  readonly heartbeatEverySeconds?: number
  readonly appVersion?: string
  readonly random?: () => number
  /** The kiosks' way to the edge (default the global fetch); a test wraps it to watch what the edge answers. */
  readonly fetch?: typeof fetch
}

export interface FleetCounts {
  readonly kiosks: number
  /** Kiosks whose network is cut right now. */
  readonly offline: number
  /** Sales the kiosks took in this run (each durable in its journal). */
  readonly sent: number
  /** Sales the edge acknowledged in this run (a retry's replayed answer included, once). */
  readonly acknowledged: number
  /** Sales waiting in the journals, earlier runs' included. */
  readonly queued: number
  /** Sales the edge refused for good (4xx), in this run. */
  readonly rejected: number
  /** Sales the kiosks could not make durable (the journal failed): never acknowledged, never lost silently. */
  readonly failed: number
}

export interface Fleet {
  counts(): FleetCounts
  /** Per kiosk id, the Idempotency-Keys of the sales it took in this run. */
  readonly accepted: ReadonlyMap<string, ReadonlyArray<string>>
  readonly clients: ReadonlyArray<KioskClient>
  /** No more sales; offline kiosks come back online, so what is queued can drain. */
  stopSelling(): Promise<void>
  /** Resolves true when every queue is empty, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>
  close(): Promise<void>
}

export class SimulatedOffline extends Error {
  override readonly name = "SimulatedOffline"
}

/** A sale amount a kiosk might see: mostly small, sometimes large (log-uniform 1.00 … 200.00). */
const amountOf = (random: () => number) => Math.round(100 * 200 ** random())

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const random = options.random ?? Math.random
  const online = options.fetch ?? fetch
  const offline = new Set<number>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => { timers.delete(timer); run() }, ms)
    timers.add(timer)
  }

  const clients: Array<KioskClient> = []
  const baseline: Array<{ delivered: number; rejected: number }> = []
  try {
    for (const [index, kiosk] of options.kiosks.entries()) {
      // The kiosk's own network: while it is "offline" every request fails before leaving the device.
      const network: typeof fetch = (input, init) =>
        offline.has(index) ? Promise.reject(new SimulatedOffline("network cut (simulated)")) : online(input, init)
      const client = await openKioskClient({
        baseUrl: options.edgeUrl,
        store: await openFileJournal(kiosk.journal),
        ...(kiosk.deviceToken ? { deviceToken: kiosk.deviceToken } : {}),
        appVersion: options.appVersion ?? "kiosk-simulator",
        fetch: network,
        random,
        ...(options.heartbeatEverySeconds ? { heartbeatEveryMs: options.heartbeatEverySeconds * 1_000 } : {}),
      })
      clients.push(client)
      const status = client.status()
      baseline.push({ delivered: status.delivered, rejected: status.rejected.length })
    }
  } catch (error) {
    await Promise.all(clients.map((c) => c.close()))
    throw error
  }

  const accepted = new Map<string, Array<string>>(clients.map((c) => [c.kioskId, []]))
  let sent = 0
  let failed = 0
  let selling = true

  const sell = () => {
    if (!selling || clients.length === 0) return
    const client = clients[Math.floor(random() * clients.length)]!
    void client.recordPayment({ amount: amountOf(random), currency: options.currency }).then(
      (payment) => {
        sent += 1
        accepted.get(client.kioskId)!.push(payment.key)
      },
      () => { failed += 1 },
    )
    // Exponential gaps: a Poisson process at the fleet's rate.
    later(-Math.log(1 - random()) * 1_000 / options.ratePerSecond, sell)
  }
  if (options.ratePerSecond > 0) sell()

  if (options.offlineEverySeconds !== undefined) {
    const every = options.offlineEverySeconds * 1_000
    const length = (options.offlineForSeconds ?? options.offlineEverySeconds / 3) * 1_000
    clients.forEach((client, index) => {
      const cut = () => {
        if (!selling) return
        offline.add(index)
        later(length, () => {
          offline.delete(index)
          client.retryNow()
          later(Math.max(0, every - length), cut)
        })
      }
      later(random() * every, cut)
    })
  }

  return {
    accepted,
    clients,
    counts() {
      let acknowledged = 0
      let queued = 0
      let rejected = 0
      clients.forEach((client, i) => {
        const s = client.status()
        acknowledged += s.delivered - baseline[i]!.delivered
        rejected += s.rejected.length - baseline[i]!.rejected
        queued += s.queueDepth
      })
      return { kiosks: clients.length, offline: offline.size, sent, acknowledged, queued, rejected, failed }
    },
    async stopSelling() {
      selling = false
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      offline.clear()
      for (const client of clients) client.retryNow()
    },
    async drain(timeoutMs) {
      const results = await Promise.allSettled(clients.map((c) => c.drained(timeoutMs)))
      return results.every((r) => r.status === "fulfilled")
    },
    async close() {
      selling = false
      for (const timer of timers) clearTimeout(timer)
      await Promise.all(clients.map((c) => c.close()))
    },
  }
}

/** Where kiosk `kioskId`'s journal lives under a simulation's directory. */
export const journalPath = (dir: string, kioskId: string) => join(dir, `${kioskId}.journal`)
