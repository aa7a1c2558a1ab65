// /ws against a real Fastify on a loopback port, real sockets (`ws`), real NATS: who receives what, the auth
// handshake and its close codes, and an assignment change taking effect on open subscriptions.
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import {
  pairKioskFromItsLabel, type CommandContext, kioskIdFor, recordPayment, refundPayment, registerKiosk, registerUser, unassignKiosk, userIdFor,
} from "../../commands/index.ts"
import { newId, registry } from "../../platform/index.ts"
import { CLOSE } from "./protocol.ts"
import { LiveClient } from "../../../test/support/live/client.ts"
import { type LiveEdge, startLiveEdge } from "../../../test/support/live/edge.ts"

const system: CommandContext = { actor: { kind: "system", name: "live-test" }, correlationId: "live-test" }

let t: Awaited<ReturnType<typeof commandRuntime>>
let edge: LiveEdge
const clients: Array<LiveClient> = []
const users = { alice: userIdFor("alice"), bob: userIdFor("bob"), root: userIdFor("root"), audrey: userIdFor("audrey") }
const codes = { a: "KSK-ALICE-01", b: "KSK-BOB-01" }
const kiosks = { a: kioskIdFor(codes.a), b: kioskIdFor(codes.b) }

const connect = async (user: { id: string; role: string }) => {
  const client = await LiveClient.connect(edge.url, edge.token(user))
  clients.push(client)
  return client
}
const open = async () => {
  const client = await LiveClient.open(edge.url)
  clients.push(client)
  return client
}
const pay = (kioskId: string, amount = 1250) =>
  t.run(recordPayment({ kioskId, amount, currency: "EUR", idempotencyKey: randomBytes(8).toString("hex") }, system))

beforeAll(async () => {
  t = await commandRuntime()
  edge = await startLiveEdge({ store: t.store, secret: "live-test-secret", limits: { authTimeoutMs: 500 } })
  for (const [name, role] of [["alice", "operator"], ["bob", "operator"], ["root", "admin"], ["audrey", "auditor"]] as const) {
    await t.run(registerUser({ username: name, password: "correct horse battery", role }, system))
  }
  await t.run(registerKiosk({ name: "Lobby", location: "Hall A", code: codes.a }, system))
  await t.run(registerKiosk({ name: "Bar", location: "Hall B", code: codes.b }, system))
  await t.run(pairKioskFromItsLabel(codes.a, users.alice, system))
  await t.run(pairKioskFromItsLabel(codes.b, users.bob, system))
})

afterAll(async () => {
  for (const client of clients) client.terminate()
  await edge?.close()
  await t?.dispose()
})

describe("who receives what", () => {
  it("an operator receives its own kiosk's payment and not another operator's", async () => {
    const alice = await connect({ id: users.alice, role: "operator" })
    const bob = await connect({ id: users.bob, role: "operator" })
    const root = await connect({ id: users.root, role: "admin" })
    expect((await alice.subscribe(`kiosk:${kiosks.a}`)).type).toBe("subscribed")
    expect((await alice.subscribe("payments")).type).toBe("subscribed")
    expect((await bob.subscribe("payments")).type).toBe("subscribed")
    expect((await root.subscribe("payments")).type).toBe("subscribed")

    const forAlice = await pay(kiosks.a, 1250)
    const forBob = await pay(kiosks.b, 990)
    await root.until(() => (root.events("payments").length === 2 ? true : undefined))
    await alice.until(() => (alice.events().length === 2 ? true : undefined))
    await bob.until(() => (bob.events().length === 1 ? true : undefined))

    // Alice: her kiosk's payment on both topics, with its type, data and stream sequence; nothing of Bob's.
    for (const topic of [`kiosk:${kiosks.a}`, "payments"]) {
      const [event] = alice.events(topic)
      expect(event).toMatchObject({ type: "event", topic, seq: forAlice.seq, event: { type: "PaymentRecorded", data: { kioskId: kiosks.a, amount: 1250, currency: "EUR" } } })
      expect(event!.event!.data).not.toHaveProperty("requestHash")
    }
    expect(bob.events().map((f) => f.seq)).toEqual([forBob.seq])
    expect(root.events("payments").map((f) => f.seq)).toEqual([forAlice.seq, forBob.seq])
    // A late frame for Bob's payment would have arrived by now, after the admin got both.
    expect(alice.events().every((f) => f.event!.data.kioskId === kiosks.a)).toBe(true)
  })

  it("another operator's kiosk topic is refused with a forbidden error and no subscription", async () => {
    const bob = await connect({ id: users.bob, role: "operator" })
    const answer = await bob.subscribe(`kiosk:${kiosks.a}`)
    expect(answer).toMatchObject({ type: "error", code: "forbidden", topic: `kiosk:${kiosks.a}` })
    await pay(kiosks.a)
    // Bob's own kiosk topic still works and is the only thing that arrives.
    expect((await bob.subscribe(`kiosk:${kiosks.b}`)).type).toBe("subscribed")
    const mine = await pay(kiosks.b)
    await bob.next((f) => f.type === "event")
    expect(bob.events().map((f) => [f.topic, f.seq])).toEqual([[`kiosk:${kiosks.b}`, mine.seq]])
  })

  it("auditors see every payment; kiosk events never carry the credential hash", async () => {
    const audrey = await connect({ id: users.audrey, role: "auditor" })
    await audrey.subscribe("payments")
    await audrey.subscribe("kiosks")
    const paid = await pay(kiosks.b)
    await audrey.next((f) => f.type === "event" && f.seq === paid.seq)
    await t.run(registerKiosk({ name: "Gate", location: "Hall C", code: "KSK-GATE-01" }, system))
    const registered = await audrey.next((f) => f.type === "event" && f.topic === "kiosks")
    expect(registered.event).toMatchObject({ type: "KioskRegistered", data: { code: "KSK-GATE-01" } })
    expect(registered.event!.data).not.toHaveProperty("credentialHash")
  })

  it("unassigning a kiosk ends its operator's subscription and stops its payments at once", async () => {
    const code = "KSK-MOVING-01"
    const kioskId = kioskIdFor(code)
    await t.run(registerKiosk({ name: "Moving", location: "Hall D", code }, system))
    await t.run(pairKioskFromItsLabel(code, users.alice, system))
    const alice = await connect({ id: users.alice, role: "operator" })
    await alice.subscribe(`kiosk:${kioskId}`)
    await alice.subscribe("payments")
    await alice.subscribe("kiosks")
    const before = await pay(kioskId)
    await alice.until(() => (alice.events("payments").some((f) => f.seq === before.seq) ? true : undefined))

    await t.run(unassignKiosk(kioskId, system))
    const revoked = await alice.next((f) => f.type === "unsubscribed" && f.topic === `kiosk:${kioskId}`)
    expect(revoked.reason).toBe("forbidden")
    // The unassignment itself still reaches her (it names her) on the kiosks topic.
    await alice.next((f) => f.type === "event" && f.topic === "kiosks" && f.event!.type === "KioskUnassigned")

    const after = await pay(kioskId)
    const root = await connect({ id: users.root, role: "admin" })
    await root.subscribe("payments", after.seq - 1)
    await root.next((f) => f.type === "event" && f.seq === after.seq)
    // Alice's feed (already past `after` for the admin) never got it.
    expect(alice.events().some((f) => f.seq === after.seq)).toBe(false)
    await pay(kiosks.a)
    await alice.next((f) => f.type === "event" && f.event!.data.kioskId === kiosks.a)
    expect(alice.events().some((f) => f.seq === after.seq)).toBe(false)
  })
})

describe("after a hand-over", () => {
  it("each operator replays only the payments taken while the kiosk was theirs, refunds included", async () => {
    const code = "KSK-HANDOVER-01"
    const kioskId = kioskIdFor(code)
    await t.run(registerKiosk({ name: "Handed over", location: "Hall H", code }, system))
    await t.run(pairKioskFromItsLabel(code, users.alice, system))
    const first = await pay(kioskId, 100)
    await t.run(unassignKiosk(kioskId, system))
    await t.run(pairKioskFromItsLabel(code, users.bob, system))
    const bobs = await pay(kioskId, 200)
    await t.run(unassignKiosk(kioskId, system))
    await t.run(pairKioskFromItsLabel(code, users.alice, system))
    const again = await pay(kioskId, 300)
    // Refunding Alice's first payment while she holds the kiosk again, and Bob's: each refund follows its payment.
    const refundFirst = await t.run(refundPayment(first.payment.id, { amount: 10, reason: "", idempotencyKey: "ho-1" }, system))
    const refundBobs = await t.run(refundPayment(bobs.payment.id, { amount: 20, reason: "", idempotencyKey: "ho-2" }, system))

    const alice = await connect({ id: users.alice, role: "operator" })
    const bob = await connect({ id: users.bob, role: "operator" })
    const root = await connect({ id: users.root, role: "admin" })
    const start = first.seq - 1
    expect((await alice.subscribe(`kiosk:${kioskId}`, start)).type).toBe("subscribed")
    expect((await alice.subscribe("payments", start)).type).toBe("subscribed")
    expect((await bob.subscribe("payments", start)).type).toBe("subscribed")
    // Bob no longer holds the kiosk: its topic is refused; his own payment still reaches him on `payments`.
    expect(await bob.subscribe(`kiosk:${kioskId}`, start)).toMatchObject({ type: "error", code: "forbidden" })
    expect((await root.subscribe(`kiosk:${kioskId}`, start)).type).toBe("subscribed")

    // The admin's replay of the same kiosk ends with the last refund: by then the operators' replays are done too
    // (same stream, same edge); a live payment afterwards marks the end for certain.
    await root.until(() => (root.lastSeq(`kiosk:${kioskId}`) === refundBobs.seq ? true : undefined))
    const marker = await pay(kioskId, 400)
    await alice.until(() => (alice.lastSeq(`kiosk:${kioskId}`) === marker.seq ? true : undefined))
    await alice.until(() => (alice.lastSeq("payments") === marker.seq ? true : undefined))
    const ofKiosk = (client: LiveClient, topic: string) =>
      client.events(topic).filter((f) => f.event!.data.kioskId === kioskId).map((f) => f.seq)
    expect(ofKiosk(alice, `kiosk:${kioskId}`)).toEqual([first.seq, again.seq, refundFirst.seq, marker.seq])
    expect(ofKiosk(alice, "payments")).toEqual([first.seq, again.seq, refundFirst.seq, marker.seq])
    await bob.until(() => (bob.lastSeq("payments") === refundBobs.seq ? true : undefined))
    expect(ofKiosk(bob, "payments")).toEqual([bobs.seq, refundBobs.seq])
  })
})

describe("notifications", () => {
  const notify = (userId: string | null) => {
    const notificationId = newId("ntf")
    return t.run(t.store.append("NOTIFICATIONS", t.store.naming.subject.notification(notificationId), [{
      type: "NotificationRequested",
      data: { notificationId, channel: "email", userId, address: "someone@example.test", template: "payment-receipt", language: "en", params: {}, sourceEventId: null },
    }], { expectedVersion: 0, context: system })).then(({ seq }) => ({ seq, notificationId }))
  }
  const sent = (notificationId: string) =>
    t.run(t.store.append("NOTIFICATIONS", t.store.naming.subject.notification(notificationId), [{
      type: "NotificationSent",
      data: { notificationId, channel: "email", provider: "smtp", providerMessageId: "<m@test>", attempts: 1 },
    }], { expectedVersion: "any", context: system }))

  it("each user gets their own (later events matched by the request), admins get all, also on a cold replay", async () => {
    const alice = await connect({ id: users.alice, role: "operator" })
    const audrey = await connect({ id: users.audrey, role: "auditor" })
    const root = await connect({ id: users.root, role: "admin" })
    for (const client of [alice, audrey, root]) await client.subscribe("notifications")
    const start = await t.run(t.store.lastSequence("NOTIFICATIONS"))
    const forAlice = await notify(users.alice)
    const forAudrey = await notify(users.audrey)
    const typed = await notify(null)
    const aliceSent = await sent(forAlice.notificationId)
    await root.until(() => (root.events().length === 4 ? true : undefined))
    await alice.until(() => (alice.events().length === 2 ? true : undefined))
    await audrey.next((f) => f.type === "event")
    expect(root.events().map((f) => f.seq)).toEqual([forAlice.seq, forAudrey.seq, typed.seq, aliceSent.seq])
    expect(alice.events().map((f) => [f.seq, f.event!.type])).toEqual([[forAlice.seq, "NotificationRequested"], [aliceSent.seq, "NotificationSent"]])
    expect(audrey.events().map((f) => f.seq)).toEqual([forAudrey.seq])

    // A new edge knows none of these requests: the replay finds the recipient of the later event in the store.
    const cold = await startLiveEdge({ store: t.store, secret: "live-test-secret" })
    try {
      const again = await LiveClient.connect(cold.url, cold.token({ id: users.alice, role: "operator" }))
      await again.subscribe("notifications", start)
      await again.until(() => (again.lastSeq("notifications") === aliceSent.seq ? true : undefined))
      expect(again.events().map((f) => f.seq)).toEqual([forAlice.seq, aliceSent.seq])
      again.terminate()
    } finally {
      await cold.close()
    }
  })
})

describe("limits", () => {
  it("a peer that stops answering pings is dropped", async () => {
    const quick = await startLiveEdge({ store: t.store, secret: "live-test-secret", limits: { pingIntervalMs: 300 } })
    try {
      const before = await disconnects("ping_timeout")
      const answering = await LiveClient.connect(quick.url, quick.token({ id: users.root, role: "admin" }))
      const silent = await LiveClient.connect(quick.url, quick.token({ id: users.root, role: "admin" }))
      silent.stopReading()
      // Two pings go unanswered by the silent one within about three intervals.
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(await disconnects("ping_timeout")).toBe(before + 1)
      expect(answering.socket.readyState).toBe(answering.socket.OPEN)
      answering.terminate()
      silent.terminate()
    } finally {
      await quick.close()
    }
  })

  it("subscriptions per connection are bounded", async () => {
    const small = await startLiveEdge({ store: t.store, secret: "live-test-secret", limits: { maxSubscriptionsPerConnection: 2 } })
    try {
      const root = await LiveClient.connect(small.url, small.token({ id: users.root, role: "admin" }))
      expect((await root.subscribe("payments")).type).toBe("subscribed")
      expect((await root.subscribe("kiosks")).type).toBe("subscribed")
      expect(await root.subscribe("notifications")).toMatchObject({ type: "error", code: "too_many_subscriptions" })
      // Subscribing again to a topic it has replaces it and is not refused.
      expect((await root.subscribe("payments", 0)).type).toBe("subscribed")
      root.send({ type: "unsubscribe", topic: "kiosks" })
      await root.next((f) => f.type === "unsubscribed" && f.topic === "kiosks")
      expect((await root.subscribe("notifications")).type).toBe("subscribed")
      root.terminate()
    } finally {
      await small.close()
    }
  })
})

async function disconnects(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric("ws_disconnects_total")!.get()
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0
}

describe("the auth handshake", () => {
  it("no auth frame in time: error, then close 4401", async () => {
    const client = await open()
    const closed = await client.closed
    expect(closed.code).toBe(CLOSE.unauthenticated)
    expect(client.frames[0]).toMatchObject({ type: "error", code: "unauthorized" })
  })

  it("an invalid token: error frame and close 4401", async () => {
    const client = await open()
    client.send({ type: "auth", token: `${edge.token({ id: users.root, role: "admin" })}x` })
    expect((await client.closed).code).toBe(CLOSE.unauthenticated)
    expect(client.frames[0]).toMatchObject({ type: "error", code: "unauthorized" })
  })

  it("subscribing before authenticating: close 4401", async () => {
    const client = await open()
    client.send({ type: "subscribe", topic: "payments" })
    expect((await client.closed).code).toBe(CLOSE.unauthenticated)
  })

  it("a token that expires during the session ends it with 4401; a fresh auth frame extends it", async () => {
    const renewing = await LiveClient.connect(edge.url, edge.token({ id: users.root, role: "admin" }, 2))
    const expiring = await LiveClient.connect(edge.url, edge.token({ id: users.root, role: "admin" }, 2))
    clients.push(renewing, expiring)
    renewing.send({ type: "auth", token: edge.token({ id: users.root, role: "admin" }, 60) })
    await renewing.next((f) => f.type === "renewed")
    const closed = await expiring.closed
    expect(closed).toMatchObject({ code: CLOSE.unauthenticated, reason: "token expired" })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(renewing.socket.readyState).toBe(renewing.socket.OPEN)
  })

  it("a role that may not use /ws is closed with 4403", async () => {
    const client = await open()
    client.send({ type: "auth", token: edge.token({ id: "ksk_0123456789abcdef", role: "kiosk" }) })
    expect((await client.closed).code).toBe(CLOSE.forbidden)
  })

  it("garbage is closed with 4400; an unknown topic is an error frame only", async () => {
    const root = await connect({ id: users.root, role: "admin" })
    expect(await root.subscribe("kiosk:../../etc")).toMatchObject({ type: "error", code: "invalid_topic" })
    root.socket.send("{not json")
    expect((await root.closed).code).toBe(CLOSE.badMessage)
  })

  it("too many connections for one user: 4429", async () => {
    const small = await startLiveEdge({ store: t.store, secret: "live-test-secret", limits: { maxConnectionsPerUser: 2 } })
    try {
      const token = small.token({ id: users.bob, role: "operator" })
      const first = await LiveClient.connect(small.url, token)
      const second = await LiveClient.connect(small.url, token)
      const third = await LiveClient.open(small.url)
      third.send({ type: "auth", token })
      expect((await third.closed).code).toBe(CLOSE.tooManyConnections)
      first.close()
      await first.closed
      const again = await LiveClient.connect(small.url, token)
      for (const c of [second, again]) c.terminate()
    } finally {
      await small.close()
    }
  })

  it("/metrics counts connections and forwarded messages", async () => {
    const text = await (await fetch(`http://127.0.0.1:${edge.port}/metrics`)).text()
    expect(text).toMatch(/^ws_connections \d+/m)
    expect(text).toMatch(/^ws_forwarded_messages_total\{topic="payments",source="live"\} [1-9]\d*/m)
    expect(text).toMatch(/^ws_disconnects_total\{reason="unauthenticated"\} [1-9]/m)
  })
})
