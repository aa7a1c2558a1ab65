// What the offline detector believes about each kiosk, and what to do about it. Pure: heartbeats and ticks in,
// commands out. The kiosk decider stays the authority (it ignores a repeat), so a belief only saves needless
// commands; several detectors may hold different beliefs and still produce one event per transition.

export type Belief = "unknown" | "online" | "offline" | "gone"

export interface KioskWatch {
  /** When the server received the kiosk's latest heartbeat (ms since the epoch). */
  readonly lastSeen: number
  readonly belief: Belief
}

export type Command =
  | { readonly type: "mark-online"; readonly kioskId: string; readonly at: string }
  | { readonly type: "mark-offline"; readonly kioskId: string; readonly lastSeenAt: string }

export class Watch {
  readonly #kiosks = new Map<string, KioskWatch>()
  readonly #timeoutMs: number

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  /** A heartbeat: a recent one brings back a kiosk not known to be online. */
  heartbeat(kioskId: string, receivedAt: number, now: number): Command | undefined {
    const known = this.#kiosks.get(kioskId)
    if (known !== undefined && known.lastSeen >= receivedAt) return undefined
    const belief = known?.belief ?? "unknown"
    this.#kiosks.set(kioskId, { lastSeen: receivedAt, belief })
    if (now - receivedAt > this.#timeoutMs || belief === "online" || belief === "gone") return undefined
    return { type: "mark-online", kioskId, at: new Date(receivedAt).toISOString() }
  }

  /** A tick: every kiosk silent for longer than the timeout and not known to be offline is marked so. */
  due(now: number): ReadonlyArray<Command> {
    const commands: Array<Command> = []
    for (const [kioskId, { lastSeen, belief }] of this.#kiosks) {
      if (now - lastSeen > this.#timeoutMs && belief !== "offline" && belief !== "gone") {
        commands.push({ type: "mark-offline", kioskId, lastSeenAt: new Date(lastSeen).toISOString() })
      }
    }
    return commands
  }

  /** What the kiosk's record says after a command (its connectivity, or "gone" if decommissioned or unknown). */
  learned(kioskId: string, belief: Belief): void {
    const known = this.#kiosks.get(kioskId)
    if (known !== undefined) this.#kiosks.set(kioskId, { ...known, belief })
  }

  get(kioskId: string): KioskWatch | undefined {
    return this.#kiosks.get(kioskId)
  }
}
