import { describe, expect, it } from "vitest"
import { Watch } from "./watch.ts"

const T = 60_000
const at = (ms: number) => new Date(ms).toISOString()

describe("offline watch", () => {
  it("a fresh heartbeat from a kiosk not known online asks to mark it online", () => {
    const watch = new Watch(T)
    expect(watch.heartbeat("k1", 1_000, 1_500)).toEqual({ type: "mark-online", kioskId: "k1", at: at(1_000) })
  })

  it("once known online, heartbeats ask for nothing", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 1_000, 1_000)
    watch.learned("k1", "online")
    expect(watch.heartbeat("k1", 31_000, 31_000)).toBeUndefined()
  })

  it("a stale heartbeat (a replay at start) brings nobody online", () => {
    const watch = new Watch(T)
    expect(watch.heartbeat("k1", 1_000, 1_000 + T + 1)).toBeUndefined()
  })

  it("marks a kiosk offline once it is silent longer than the timeout, with when it was last seen", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 1_000, 1_000)
    watch.learned("k1", "online")
    expect(watch.due(1_000 + T)).toEqual([])
    expect(watch.due(1_000 + T + 1)).toEqual([{ type: "mark-offline", kioskId: "k1", lastSeenAt: at(1_000) }])
  })

  it("does not repeat the alert while the kiosk stays down", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 1_000, 1_000)
    watch.learned("k1", "offline")
    expect(watch.due(1_000 + 10 * T)).toEqual([])
  })

  it("clears on recovery: the next heartbeat of an offline kiosk asks to mark it online", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 1_000, 1_000)
    watch.learned("k1", "offline")
    expect(watch.heartbeat("k1", 200_000, 200_000)).toEqual({ type: "mark-online", kioskId: "k1", at: at(200_000) })
  })

  it("ignores an out-of-order older heartbeat", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 5_000, 5_000)
    watch.learned("k1", "online")
    expect(watch.heartbeat("k1", 4_000, 5_000)).toBeUndefined()
    expect(watch.get("k1")!.lastSeen).toBe(5_000)
  })

  it("forgets a kiosk that is gone (decommissioned or unknown to the registry)", () => {
    const watch = new Watch(T)
    watch.heartbeat("k1", 1_000, 1_000)
    watch.learned("k1", "gone")
    expect(watch.heartbeat("k1", 2_000, 2_000)).toBeUndefined()
    expect(watch.due(1_000 + 10 * T)).toEqual([])
  })
})
