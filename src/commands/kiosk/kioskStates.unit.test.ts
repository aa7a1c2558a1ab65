// The kiosk states' staleness bound with a fake stream and a fake clock: answers only while the follower has
// applied everything the stream held at most the bound ago, whatever the follower or NATS do.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { StoredCommit } from "../eventStore/index.ts"
import type { KioskEvent } from "./events.ts"
import { LiveKioskStates } from "./kioskStates.ts"

const kioskId = "ksk_0000000000000000000000000a"
const registered: KioskEvent = {
  type: "KioskRegistered",
  data: { kioskId, code: "KSK-7F3A-Q2ZP", name: "Lobby", location: "Madrid", credentialHash: "h1" },
}
const rotated: KioskEvent = { type: "KioskCredentialRotated", data: { kioskId, credentialHash: "h2", credentialVersion: 2 } }

/** A KIOSKS stream in memory: `append` stores, the follower sees a message only when the test `deliver`s it. */
function fakeStream() {
  const stored: Array<StoredCommit> = []
  let delivered = 0
  let wake: (() => void) | undefined
  const store = {
    lastSequence: () => Effect.succeed(stored.length),
    async *replay(_stream: string, options: { fromSeq?: number; signal?: AbortSignal } = {}) {
      let next = options.fromSeq ?? 1
      while (!options.signal?.aborted) {
        if (next <= delivered) yield stored[next++ - 1]!
        else await new Promise<void>((resolve) => { wake = resolve })
      }
    },
  }
  return {
    store: store as unknown as ConstructorParameters<typeof LiveKioskStates>[0]["store"],
    append(event: KioskEvent) {
      const seq = stored.length + 1
      stored.push({ stream: "KIOSKS", subject: `ak.kiosks.${kioskId}`, seq, recorded: [{ ...event, seq }] } as unknown as StoredCommit)
    },
    deliver() {
      delivered = stored.length
      wake?.()
    },
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

/** States rebuilt over `stream` once it holds the registration, on a clock the test moves with `clock.now`. */
async function rebuiltOver(stream: ReturnType<typeof fakeStream>, store = stream.store) {
  const clock = { now: 0 }
  const states = new LiveKioskStates({ store, boundMs: 1_000, syncEveryMs: 60_000, now: () => clock.now })
  stream.append(registered)
  stream.deliver()
  states.start()
  await states.caughtUp()
  return { states, clock }
}

describe("kiosk states", () => {
  it("answer nothing until rebuilt up to the stream's end, then the fold of each kiosk", async () => {
    const stream = fakeStream()
    const clock = { now: 0 }
    const states = new LiveKioskStates({ store: stream.store, boundMs: 1_000, syncEveryMs: 60_000, now: () => clock.now })
    stream.append(registered)
    stream.append(rotated)
    states.start()
    await states.sync()
    expect(states.isCurrent()).toBe(false)
    expect(states.current(kioskId)).toBeUndefined()
    stream.deliver()
    await states.caughtUp()
    expect(states.isCurrent()).toBe(true)
    expect(states.current(kioskId)).toMatchObject({ status: "active", credentialHash: "h2", credentialVersion: 2 })
    // A kiosk it has never seen is not "none": it may have been registered a moment ago; the caller loads it.
    expect(states.current("ksk_00000000000000000000000zzz")).toBeUndefined()
    clock.now = 500
    expect(states.current(kioskId)).toBeDefined()
    states.stop()
  })

  it("stop answering once a change the follower has not applied is older than the bound", async () => {
    const stream = fakeStream()
    const { states, clock } = await rebuiltOver(stream)
    // Decommissioned at t = 100, but the follower is stuck (NATS slow, the process starved): the next syncs see a
    // stream end it has not reached, so it stays current as of t = 0 only.
    clock.now = 100
    stream.append({ type: "KioskDecommissioned", data: { kioskId } })
    clock.now = 300
    await states.sync()
    clock.now = 1_000
    expect(states.current(kioskId)).toMatchObject({ status: "active" })
    clock.now = 1_001
    expect(states.isCurrent()).toBe(false)
    expect(states.current(kioskId)).toBeUndefined()
    // Once the follower gets there it is current as of the sync that asked (t = 300), and the kiosk is retired.
    stream.deliver()
    await settle()
    expect(states.current(kioskId)).toMatchObject({ status: "decommissioned", operatorId: null })
    clock.now = 1_301
    expect(states.current(kioskId)).toBeUndefined()
    states.stop()
  })

  it("stop answering when the stream's end cannot be asked", async () => {
    const stream = fakeStream()
    let reachable = true
    const store = {
      ...stream.store,
      replay: stream.store.replay,
      lastSequence: () => (reachable ? stream.store.lastSequence("KIOSKS") : Effect.die(new Error("no answer"))),
    } as typeof stream.store
    const { states, clock } = await rebuiltOver(stream, store)
    reachable = false
    clock.now = 900
    await states.sync().catch(() => undefined)
    expect(states.current(kioskId)).toBeDefined()
    clock.now = 1_001
    expect(states.current(kioskId)).toBeUndefined()
    states.stop()
  })
})

describe("kiosk states and this process's own commits", () => {
  it("take a commit of this process at once and do not fold it again when the follower reaches it", async () => {
    const stream = fakeStream()
    const { states } = await rebuiltOver(stream)
    // Rotated by this process: stored at seq 2 and taken before the follower sees it.
    stream.append(rotated)
    states.wrote(kioskId, { ...(states.current(kioskId) as object), credentialHash: "h2", credentialVersion: 2 } as never, 2)
    expect(states.current(kioskId)).toMatchObject({ credentialHash: "h2", credentialVersion: 2 })
    // An older answer never replaces a newer one.
    states.wrote(kioskId, { status: "none" }, 1)
    expect(states.current(kioskId)).toMatchObject({ credentialVersion: 2 })
    stream.append({ type: "KioskAssigned", data: { kioskId, operatorId: "usr_00000000000000000000000ana" } })
    stream.deliver()
    await settle()
    expect(states.current(kioskId)).toMatchObject({ credentialVersion: 2, operatorId: "usr_00000000000000000000000ana" })
    states.stop()
  })
})

describe("kiosk states as the process's one reader of KIOSKS", () => {
  const ana = "usr_00000000000000000000000ana"

  it("hand on each message after folding it, and tell each change once rebuilt, before the message", async () => {
    const stream = fakeStream()
    const states = new LiveKioskStates({ store: stream.store, boundMs: 1_000, syncEveryMs: 60_000, now: () => 0 })
    const told: Array<string> = []
    states.onChange((id, after, before) => told.push(`change ${id === kioskId} ${before.status}->${after.status}`))
    // Each message is handed on with the kiosk already folded up to it.
    states.onCommit((stored) => told.push(`commit ${stored.seq} ${stored.seq === 1 ? "" : (states.folded(kioskId) as { operatorId: string }).operatorId}`))
    expect(states.folded(kioskId)).toBeUndefined()
    stream.append(registered)
    stream.deliver()
    states.start()
    await states.caughtUp()
    // The rebuild tells no change: it replays every change ever made, and no one depends on a kiosk before.
    expect(told).toEqual(["commit 1 "])
    expect(states.folded("ksk_00000000000000000000000zzz")).toEqual({ status: "none" })
    stream.append({ type: "KioskAssigned", data: { kioskId, operatorId: ana } })
    stream.deliver()
    await settle()
    expect(told.slice(1)).toEqual(["change true active->active", `commit 2 ${ana}`])
    expect(states.folded(kioskId)).toMatchObject({ operatorId: ana })
    states.stop()
  })

  it("a commit of this process is told when taken, not again when the follower reaches it", async () => {
    const stream = fakeStream()
    const { states } = await rebuiltOver(stream)
    const told: Array<string | null> = []
    states.onChange((_id, after) => told.push(after.status === "none" ? "none" : after.operatorId))
    stream.append({ type: "KioskAssigned", data: { kioskId, operatorId: ana } })
    states.wrote(kioskId, { ...(states.folded(kioskId) as object), operatorId: ana } as never, 2)
    stream.deliver()
    await settle()
    expect(told).toEqual([ana])
    states.stop()
  })

  it("`latest` answers once the follower has applied the stream's end as asked", async () => {
    const stream = fakeStream()
    const { states } = await rebuiltOver(stream)
    stream.append({ type: "KioskAssigned", data: { kioskId, operatorId: ana } })
    let answer: unknown
    const asked = states.latest(kioskId).then((state) => { answer = state })
    await settle()
    expect(answer).toBeUndefined()
    stream.deliver()
    await asked
    expect(answer).toMatchObject({ operatorId: ana })
    states.stop()
  })
})
