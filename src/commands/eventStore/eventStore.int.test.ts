// The event store against a real nats-server: concurrency, idempotency, snapshots and replay.
import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import { headers } from "@nats-io/transport-node"
import { Cause, Effect, Exit, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testEnv, testSettings } from "../../../test/support/settings.ts"
import {
  type AppSettings, closeNats, connectNats, Nats, type NatsClients, newId, Settings,
} from "../../platform/index.ts"
import type { KioskEvent } from "../kiosk/events.ts"
import { accept, reject } from "../shared/decider.ts"
import { type CommandContext, systemActor } from "../shared/envelope.ts"
import { Conflict } from "../shared/errors.ts"
import type { TelemetryEvent } from "../telemetry/events.ts"
import { type AggregateDecider, CorruptEvent, EventStore, type EventStoreShape, openEventStore, WrongExpectedVersion } from "./index.ts"
import { PipelinedPublisher } from "./publisher.ts"

let settings: AppSettings
let clients: NatsClients
let store: EventStoreShape

beforeAll(async () => {
  settings = await testSettings()
  clients = await connectNats(settings, "test")
  store = await Effect.runPromise(openEventStore(clients, settings))
})
afterAll(async () => {
  await closeNats(clients)
})

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const failureOf = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.flip(effect))
const context = (): CommandContext => ({ actor: systemActor("test"), correlationId: newId("cor") })

const heartbeat = (kioskId: string): TelemetryEvent => ({
  type: "KioskHeartbeat",
  data: { kioskId, at: new Date().toISOString(), appVersion: null, status: {} },
})

/** Every heartbeat counts one; "Increment" always may, "Claim" only on an empty subject. */
const counter: AggregateDecider<{ count: number }, { type: "Increment" | "Claim"; kioskId: string }, TelemetryEvent> = {
  name: "counter",
  snapshotVersion: 1,
  initialState: () => ({ count: 0 }),
  decide: (command, state) =>
    command.type === "Claim" && state.count > 0
      ? reject(new Conflict({ message: "already claimed" }))
      : accept(heartbeat(command.kioskId)),
  evolve: (state) => ({ count: state.count + 1 }),
}

const kioskHistory = {
  name: "kioskHistory",
  snapshotVersion: 1,
  initialState: (): ReadonlyArray<string> => [],
  evolve: (state: ReadonlyArray<string>, event: KioskEvent) => [...state, event.type],
}

const registered = (kioskId: string): KioskEvent => ({
  type: "KioskRegistered",
  data: { kioskId, code: `K-${kioskId.slice(-8).toUpperCase()}`, name: "Lobby", location: "Hall A", credentialHash: "h" },
})
const renamed = (kioskId: string, name: string): KioskEvent => ({
  type: "KioskRenamed",
  data: { kioskId, name, location: "Hall B" },
})

describe("append and load", () => {
  it("round-trips a multi-event commit and reports positions", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.kiosk(kioskId)
    const ctx = context()
    const first = await run(store.append("KIOSKS", subject, [registered(kioskId), renamed(kioskId, "Entrance")], { expectedVersion: 0, context: ctx }))
    expect(first.duplicate).toBe(false)
    expect(first.recorded.map((e) => e.type)).toEqual(["KioskRegistered", "KioskRenamed"])
    expect(first.recorded[1]).toMatchObject({
      stream: "KIOSKS", subject, seq: first.seq, version: 1, actor: ctx.actor, correlationId: ctx.correlationId,
      data: { kioskId, name: "Entrance", location: "Hall B" },
    })
    expect(first.recorded[1]!.id).toBe(`${first.recorded[0]!.id}#1`)

    const second = await run(store.append("KIOSKS", subject, [renamed(kioskId, "Exit")], { expectedVersion: first.seq, context: ctx }))
    const loaded = await run(store.load(kioskHistory, "KIOSKS", subject))
    expect(loaded).toEqual({ version: second.seq, state: ["KioskRegistered", "KioskRenamed", "KioskRenamed"] })
  })

  it("loads an absent aggregate as its initial state at version 0", async () => {
    const loaded = await run(store.load(kioskHistory, "KIOSKS", store.naming.subject.kiosk(newId("kio"))))
    expect(loaded).toEqual({ state: [], version: 0 })
  })

  it("refuses expectedVersion 0 on an existing subject with a typed WrongExpectedVersion", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.kiosk(kioskId)
    const { seq } = await run(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: 0, context: context() }))
    const error = await failureOf(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: 0, context: context() }))
    expect(error).toBeInstanceOf(WrongExpectedVersion)
    expect(error).toMatchObject({ _tag: "WrongExpectedVersion", subject, expected: 0, actual: seq })
    const stale = await failureOf(store.append("KIOSKS", subject, [renamed(kioskId, "x")], { expectedVersion: seq - 1, context: context() }))
    expect(stale._tag).toBe("WrongExpectedVersion")
  })

  it("treats the same commit id as already appended, stored once", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.kiosk(kioskId)
    const commitId = newId("cmt")
    const before = await run(store.lastSequence("KIOSKS"))
    const once = await run(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: 0, commitId, context: context() }))
    // Same expected version again: the duplicate check comes before the sequence check, so this is no conflict.
    const again = await run(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: 0, commitId, context: context() }))
    const anyVersion = await run(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: "any", commitId, context: context() }))
    expect(once.duplicate).toBe(false)
    expect(again).toMatchObject({ duplicate: true, seq: once.seq })
    expect(anyVersion).toMatchObject({ duplicate: true, seq: once.seq })
    expect(again.recorded).toEqual(once.recorded)
    expect(await run(store.lastSequence("KIOSKS"))).toBe(before + 1)
  })

  it("refuses an event outside the catalogue or on another stream as a defect, storing nothing", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.kiosk(kioskId)
    const wrongStream = await Effect.runPromiseExit(store.append("KIOSKS", subject, [heartbeat(kioskId)], { expectedVersion: "any", context: context() }))
    const invalid = await Effect.runPromiseExit(store.append("KIOSKS", subject, [{ type: "KioskRenamed", data: { kioskId, name: "" } } as never], { expectedVersion: "any", context: context() }))
    for (const exit of [wrongStream, invalid]) {
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
    }
    expect((await run(store.load(kioskHistory, "KIOSKS", subject))).version).toBe(0)
  })

  it("treats an undecodable stored message as a defect (CorruptEvent), in load and in replay", async () => {
    // On USERS, which no other test here reads whole.
    const subject = store.naming.subject.user(newId("usr"))
    const { seq } = await clients.js.publish(subject, JSON.stringify({ id: "cmt_x", events: [{ type: "Nonsense" }] }))
    const exit = await Effect.runPromiseExit(store.load(kioskHistory, "USERS", subject))
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toBeInstanceOf(CorruptEvent)
    await expect(collect(store.replay("USERS", { subject, untilEnd: true }))).rejects.toMatchObject({ name: "CorruptEvent", seq })
  })
})

describe("the pipelined publisher", () => {
  it("refuses an append nobody stores, after its resends, instead of waiting forever", async () => {
    const publisher = new PipelinedPublisher(clients.nc, { timeoutMs: 5_000, attempts: 2, retryDelayMs: 10 })
    const h = headers()
    h.set("Nats-Msg-Id", newId("cmt"))
    await expect(publisher.publish(`${settings.namespace}_nowhere.${newId("x")}`, new TextEncoder().encode("{}"), h))
      .rejects.toThrow(/no JetStream responder .* after 2 attempts/)
  })

  it("answers many appends in flight at once, each with its own sequence", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.telemetry(kioskId)
    const publisher = new PipelinedPublisher(clients.nc, { timeoutMs: 5_000, attempts: 1 })
    const answers = await Promise.all(Array.from({ length: 50 }, () => {
      const h = headers()
      h.set("Nats-Msg-Id", newId("cmt"))
      return publisher.publish(subject, new TextEncoder().encode("{}"), h)
    }))
    const seqs = answers.map((a) => (a.ok ? a.seq : -1))
    expect(new Set(seqs).size).toBe(50)
    expect(Math.min(...seqs)).toBeGreaterThan(0)
  })
})

describe("handle", () => {
  it("lets 20 concurrent increments all succeed through retries", async () => {
    const kioskId = newId("kio")
    const target = { stream: "TELEMETRY" as const, subject: store.naming.subject.telemetry(kioskId) }
    const retriesBefore = store.stats().retries
    const results = await Promise.all(
      Array.from({ length: 20 }, () => run(store.handle(counter, target, { type: "Increment", kioskId }, context(), { maxAttempts: 50 }))),
    )
    const seqs = results.map((r) => r.seq)
    expect(new Set(seqs).size).toBe(20)
    for (const r of results) expect(r.events).toHaveLength(1)
    expect((await run(store.load(counter, target.stream, target.subject))).state).toEqual({ count: 20 })
    expect(store.stats().retries).toBeGreaterThan(retriesBefore)
  })

  it("gives a one-time claim to exactly one of 20 racers; the others get a typed Conflict", async () => {
    const kioskId = newId("kio")
    const target = { stream: "TELEMETRY" as const, subject: store.naming.subject.telemetry(kioskId) }
    const exits = await Promise.all(
      Array.from({ length: 20 }, () => Effect.runPromiseExit(store.handle(counter, target, { type: "Claim", kioskId }, context()))),
    )
    const won = exits.filter(Exit.isSuccess)
    const lost = exits.filter(Exit.isFailure).map((exit) => Cause.squash(exit.cause))
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(19)
    for (const error of lost) expect(error).toBeInstanceOf(Conflict)
    expect((await run(store.load(counter, target.stream, target.subject))).state).toEqual({ count: 1 })
  })

  it("expectNew: an empty subject is claimed by the append alone, without a read; a taken one is decided on its real state", async () => {
    const kioskId = newId("kio")
    const target = { stream: "TELEMETRY" as const, subject: store.naming.subject.telemetry(kioskId) }
    const readsBefore = store.stats().reads
    const claimed = await run(store.handle(counter, target, { type: "Claim", kioskId }, context(), { expectNew: true }))
    expect(claimed.events).toHaveLength(1)
    expect(claimed.state).toEqual({ count: 1 })
    expect(store.stats().reads).toBe(readsBefore)
    // The subject has a commit now: the expected-version-0 append loses, and the real state refuses the claim.
    const again = await failureOf(store.handle(counter, target, { type: "Claim", kioskId }, context(), { expectNew: true }))
    expect(again).toBeInstanceOf(Conflict)
    const more = await run(store.handle(counter, target, { type: "Increment", kioskId }, context(), { expectNew: true }))
    expect(more.state).toEqual({ count: 2 })
    expect((await run(store.load(counter, target.stream, target.subject))).state).toEqual({ count: 2 })
  })

  it("expectNew: of 20 racers for an empty subject exactly one claims it", async () => {
    const kioskId = newId("kio")
    const target = { stream: "TELEMETRY" as const, subject: store.naming.subject.telemetry(kioskId) }
    const exits = await Promise.all(
      Array.from({ length: 20 }, () => Effect.runPromiseExit(store.handle(counter, target, { type: "Claim", kioskId }, context(), { expectNew: true }))),
    )
    expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
    for (const exit of exits.filter(Exit.isFailure)) expect(Cause.squash(exit.cause)).toBeInstanceOf(Conflict)
    expect((await run(store.load(counter, target.stream, target.subject))).state).toEqual({ count: 1 })
  })

  it("returns the current state and version, appending nothing, when the decision has no events", async () => {
    const kioskId = newId("kio")
    const target = { stream: "TELEMETRY" as const, subject: store.naming.subject.telemetry(kioskId) }
    const noop: typeof counter = { ...counter, decide: () => accept() }
    const done = await run(store.handle(counter, target, { type: "Increment", kioskId }, context()))
    const nothing = await run(store.handle(noop, target, { type: "Increment", kioskId }, context()))
    expect(nothing).toEqual({ state: { count: 1 }, version: done.seq, seq: done.seq, events: [] })
  })
})

describe("snapshots", () => {
  it("loads 100 events as their fold, then reads at most a couple of messages per load", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.telemetry(kioskId)
    for (let i = 0; i < 100; i++) {
      await run(store.append("TELEMETRY", subject, [heartbeat(kioskId)], { expectedVersion: "any", context: context() }))
    }
    const written = store.stats().snapshotsWritten
    const first = await run(store.load(counter, "TELEMETRY", subject))
    expect(first.state).toEqual({ count: 100 })
    expect(store.stats().snapshotsWritten).toBe(written + 1)

    const before = store.stats().reads
    const second = await run(store.load(counter, "TELEMETRY", subject))
    expect(second).toEqual(first)
    expect(store.stats().reads - before).toBeLessThanOrEqual(2)

    // One more commit on top of the snapshot costs one more read, not a replay of the history.
    await run(store.append("TELEMETRY", subject, [heartbeat(kioskId)], { expectedVersion: first.version, context: context() }))
    const afterOne = store.stats().reads
    expect((await run(store.load(counter, "TELEMETRY", subject))).state).toEqual({ count: 101 })
    expect(store.stats().reads - afterOne).toBeLessThanOrEqual(3)
  })

  it("ignores snapshots of another snapshot version", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.telemetry(kioskId)
    for (let i = 0; i < 25; i++) {
      await run(store.append("TELEMETRY", subject, [heartbeat(kioskId)], { expectedVersion: "any", context: context() }))
    }
    await run(store.load(counter, "TELEMETRY", subject))
    const doubled = { ...counter, snapshotVersion: 2, evolve: (s: { count: number }) => ({ count: s.count + 2 }) }
    expect((await run(store.load(doubled, "TELEMETRY", subject))).state).toEqual({ count: 50 })
  })
})

describe("replay", () => {
  it("returns commits in stream order, whole stream or one subject, from a sequence, up to the end", async () => {
    const ids = [newId("kio"), newId("kio"), newId("kio")]
    const appended: Array<number> = []
    for (let round = 0; round < 3; round++) {
      for (const kioskId of ids) {
        const subject = store.naming.subject.kiosk(kioskId)
        const event = round === 0 ? registered(kioskId) : renamed(kioskId, `name ${round}`)
        appended.push((await run(store.append("KIOSKS", subject, [event], { expectedVersion: "any", context: context() }))).seq)
      }
    }
    const all = await collect(store.replay("KIOSKS", { untilEnd: true }))
    const seqs = all.map((c) => c.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(seqs.slice(-9)).toEqual(appended)
    expect(all.at(-1)!.recorded[0]).toMatchObject({ type: "KioskRenamed", stream: "KIOSKS", seq: appended.at(-1) })

    const one = store.naming.subject.kiosk(ids[1]!)
    const ofOne = await collect(store.replay("KIOSKS", { subject: one, untilEnd: true }))
    expect(ofOne.map((c) => c.seq)).toEqual([appended[1], appended[4], appended[7]])
    expect(ofOne.flatMap((c) => c.recorded.map((e) => e.type))).toEqual(["KioskRegistered", "KioskRenamed", "KioskRenamed"])

    const tail = await collect(store.replay("KIOSKS", { fromSeq: appended[6]!, untilEnd: true }))
    expect(tail.map((c) => c.seq)).toEqual(appended.slice(6))
  })

  it("follows live appends until the reader stops", async () => {
    const kioskId = newId("kio")
    const subject = store.naming.subject.kiosk(kioskId)
    const from = (await run(store.lastSequence("KIOSKS"))) + 1
    const live = store.replay("KIOSKS", { fromSeq: from, subject })[Symbol.asyncIterator]()
    const nextOne = live.next()
    const { seq } = await run(store.append("KIOSKS", subject, [registered(kioskId)], { expectedVersion: 0, context: context() }))
    const got = await nextOne
    expect(got.done).toBe(false)
    expect(got.value?.seq).toBe(seq)
    await live.return?.(undefined)
  })

  it("returns nothing for an empty range", async () => {
    const last = await run(store.lastSequence("NOTIFICATIONS"))
    expect(last).toBe(0)
    expect(await collect(store.replay("NOTIFICATIONS", { untilEnd: true }))).toEqual([])
    // A filter nothing matches, on a stream that has messages.
    const kioskId = newId("kio")
    await run(store.append("KIOSKS", store.naming.subject.kiosk(kioskId), [registered(kioskId)], { expectedVersion: 0, context: context() }))
    expect(await collect(store.replay("KIOSKS", { subject: `${store.naming.subject.kiosk(kioskId)}.*`, untilEnd: true }))).toEqual([])
  })
})

describe("as a layer", () => {
  it("builds from Settings and Nats, and drains the connection when released", async () => {
    const layer = EventStore.layer.pipe(Layer.provideMerge(Nats.layer), Layer.provide(Settings.layerFrom(testEnv())))
    let nats: NatsClients | undefined
    const seq = await Effect.runPromise(
      Effect.gen(function* () {
        const es = yield* EventStore
        nats = yield* Nats
        const kioskId = newId("kio")
        const { seq } = yield* es.append("KIOSKS", es.naming.subject.kiosk(kioskId), [registered(kioskId)], { expectedVersion: 0, context: context() })
        return seq
      }).pipe(Effect.provide(layer)),
    )
    expect(seq).toBe(1)
    expect(nats?.nc.isClosed()).toBe(true)
  })
})

async function collect<A>(iterable: AsyncIterable<A>): Promise<Array<A>> {
  const out: Array<A> = []
  for await (const item of iterable) out.push(item)
  return out
}

describe("an append started with writeNow", () => {
  const SCRIPT = fileURLToPath(new URL("../../../test/support/appendThenDie.ts", import.meta.url))
  /** Runs the script, which appends one heartbeat and SIGKILLs itself in the same turn; how many were stored. */
  const appendThenDie = async (mode: "now" | "batched") => {
    const kioskId = newId("ksk")
    const child = spawn(process.execPath, [SCRIPT, kioskId, mode], { env: { ...process.env, ...testEnv({ APP_NAMESPACE: settings.namespace }) }, stdio: "inherit" })
    const [, signal] = await once(child, "exit")
    expect(signal).toBe("SIGKILL")
    const commits: Array<unknown> = []
    for await (const commit of store.replay("TELEMETRY", { subject: store.naming.subject.telemetry(kioskId), untilEnd: true })) commits.push(commit)
    return commits.length
  }

  it("is stored even when its process dies in the same turn of the event loop", { timeout: 30_000 }, async () => {
    for (let i = 0; i < 5; i++) expect(await appendThenDie("now")).toBe(1)
  })

  it("(control: a batched append leaves a turn later, so the same death loses it)", { timeout: 30_000 }, async () => {
    expect(await appendThenDie("batched")).toBe(0)
  })
})
