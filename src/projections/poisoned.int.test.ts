// Events already in the log that hold values Postgres refuses, published straight into the streams with the NATS
// client (as an older write side, or anything else, may have left them): every projection still reaches its
// stream's end, each poisoned event is stored mapped or parked (each case says which), later events apply,
// min_seq reads answer, and a rebuild ends equal to the live models.
import { randomBytes } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import { pino } from "pino"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { recordHeartbeat, recordPayment, registerKiosk, registerUser } from "../commands/index.ts"
import { newId, registry, type StreamKey } from "../platform/index.ts"
import { PROJECTIONS } from "./catalogue.ts"
import { listParked } from "./parked.ts"
import { awaitProjection } from "./query/freshness.ts"
import { type RunningProjectors, projectionsStatus, rebuildProjections, startProjectors } from "./runtime.ts"
import { readSideFixture, type ReadFixture, snapshot } from "../../test/support/projections/fixture.ts"
import { commitBody, inject } from "../../test/support/projections/inject.ts"
import { listPayments } from "./payments/queries.ts"
import { listUsers } from "./users/queries.ts"
import { STORED_INSTANTS } from "./engine/storable.ts"

const NUL = "\u0000"
const LONE = "\ud800"
const FFFD = "\uFFFD"
const YEAR_0 = "0000-01-01T00:00:00Z"
const ALL_TABLES = PROJECTIONS.flatMap((p) => p.tables)

/** "mapped": stored, its unstorable values mapped (or, where nothing needed it, as written). */
type Outcome = "mapped" | { readonly parked: string }

interface Poison {
  readonly name: string
  /** The projection whose SQL refuses it; a message that doesn't decode is parked by every projection of its stream. */
  readonly projection: string
  readonly stream: StreamKey
  readonly subject: string
  /** The message body: a commit as the store writes one, or anything at all. */
  readonly body: string
  readonly outcome: Outcome
}

const ids = {
  ana: newId("usr"), bo: newId("usr"), old: newId("usr"), dev: newId("usr"),
  lobby: newId("ksk"), long: newId("ksk"), nameless: newId("ksk"),
  p0: newId("pay"), p10k: newId("pay"), pFeb: newId("pay"), pHuge: newId("pay"), refund: newId("rfd"),
  n1: newId("ntf"),
}
const contact = (displayName: string | null, email: string | null = null) =>
  ({ displayName, email, phone: null, language: "en", preferences: { email: true, sms: false, push: false } })

function poisons(f: ReadFixture): ReadonlyArray<Poison> {
  const s = f.names.subject
  const user = (name: string, subject: string, body: string, outcome: Outcome): Poison => ({ name, projection: "users", stream: "USERS", subject, body, outcome })
  const kiosk = (name: string, subject: string, body: string, outcome: Outcome): Poison => ({ name, projection: "kiosks", stream: "KIOSKS", subject, body, outcome })
  const pay = (name: string, subject: string, body: string, outcome: Outcome): Poison => ({ name, projection: "payments", stream: "PAYMENTS", subject, body, outcome })
  const beat = (name: string, subject: string, body: string, outcome: Outcome): Poison => ({ name, projection: "kiosk_heartbeats", stream: "TELEMETRY", subject, body, outcome })
  const note = (name: string, body: string, outcome: Outcome): Poison => ({ name, projection: "notifications", stream: "NOTIFICATIONS", subject: s.notification(ids.n1), body, outcome })
  const registered = (userId: string, username: string, c: unknown) =>
    ({ type: "UserRegistered", data: { userId, username, role: "operator", passwordHash: "x", contact: c } })
  const recorded = (paymentId: string, occurredAt: string, amount: unknown = 1_000) =>
    ({ type: "PaymentRecorded", data: { paymentId, kioskId: ids.lobby, amount, currency: "EUR", occurredAt, operatorId: null, requestHash: "h" } })
  const heartbeat = (kioskId: string, status: unknown, appVersion: string | null = "1.0") =>
    ({ type: "KioskHeartbeat", data: { kioskId, at: new Date().toISOString(), appVersion, status } })

  return [
    user("NUL in a display name and an e-mail", s.user(ids.ana), commitBody([registered(ids.ana, "ana", contact(`Ana${NUL}`, `ana${NUL}@example.com`))]), "mapped"),
    user("a lone surrogate in a display name", s.user(ids.bo), commitBody([registered(ids.bo, "bob", contact(`Bo${LONE}`))]), "mapped"),
    user("a commit time in year 0000", s.user(ids.old), commitBody([registered(ids.old, "oldie", contact(null))], YEAR_0), "mapped"),
    user("NUL in a contact change", s.user(ids.bo), commitBody([{ type: "UserContactChanged", data: { userId: ids.bo, contact: contact(`x${NUL}`) } }]), "mapped"),
    user("a push device token too long for an index row", s.user(ids.ana),
      commitBody([{ type: "UserPushDeviceAdded", data: { userId: ids.ana, deviceToken: randomBytes(6_000).toString("base64") } }]), { parked: "54000" }),
    user("a role no schema knows", s.user(ids.ana), commitBody([{ type: "UserRoleChanged", data: { userId: ids.ana, role: "root", previousRole: "operator" } }]), { parked: "decode" }),

    kiosk("NUL and a lone surrogate in a kiosk's name and location", s.kiosk(ids.lobby),
      commitBody([{ type: "KioskRegistered", data: { kioskId: ids.lobby, code: "KSK-POISON-01", name: `Lobby${NUL}`, location: `Hall${LONE}`, credentialHash: "h" } }]), "mapped"),
    kiosk("a kiosk online since year 0000", s.kiosk(ids.lobby), commitBody([{ type: "KioskCameOnline", data: { kioskId: ids.lobby, at: YEAR_0 } }]), "mapped"),
    kiosk("a kiosk last seen in year 10000", s.kiosk(ids.lobby),
      commitBody([{ type: "KioskWentOffline", data: { kioskId: ids.lobby, lastSeenAt: "+010000-01-01T00:00:00.000Z" } }]), "mapped"),
    kiosk("a credential version beyond int4", s.kiosk(ids.lobby),
      commitBody([{ type: "KioskCredentialRotated", data: { kioskId: ids.lobby, credentialHash: "h2", credentialVersion: 2 ** 40 } }]), { parked: "22003" }),
    kiosk("a 10,000-character kiosk name (text columns are unbounded: stored whole)", s.kiosk(ids.long),
      commitBody([{ type: "KioskRegistered", data: { kioskId: ids.long, code: "KSK-POISON-02", name: "x".repeat(10_000), location: "", credentialHash: "h" } }]), "mapped"),
    kiosk("a kiosk registration without a name", s.kiosk(ids.nameless),
      commitBody([{ type: "KioskRegistered", data: { kioskId: ids.nameless, code: "KSK-POISON-03", location: "", credentialHash: "h" } }]), { parked: "decode" }),

    pay("a payment in year 0000", s.payment(ids.lobby, ids.p0), commitBody([recorded(ids.p0, YEAR_0)]), "mapped"),
    pay("a payment in year 10000", s.payment(ids.lobby, ids.p10k), commitBody([recorded(ids.p10k, "10000-01-01T00:00:00Z")]), "mapped"),
    pay("a payment on 30 February", s.payment(ids.lobby, ids.pFeb), commitBody([recorded(ids.pFeb, "2026-02-30T10:00:00Z")]), "mapped"),
    pay("an amount beyond int8", s.payment(ids.lobby, ids.pHuge),
      commitBody([recorded(ids.pHuge, "2026-03-01T10:00:00Z", 1)]).replace('"amount":1,', '"amount":9223372036854775808,'), { parked: "decode" }),
    pay("NUL and a lone surrogate in a refund reason", s.payment(ids.lobby, ids.pFeb), commitBody([{ type: "PaymentRefunded", data: {
      paymentId: ids.pFeb, kioskId: ids.lobby, refundId: ids.refund, amount: 100, currency: "EUR", reason: `dam${NUL}aged${LONE}`, operatorId: null,
    } }]), "mapped"),

    beat("NUL and lone surrogates in a heartbeat's status keys and values", s.telemetry(ids.lobby),
      commitBody([heartbeat(ids.lobby, { [`paper${NUL}`]: `l${LONE}w`, note: NUL }, `1.0${NUL}`)]), "mapped"),
    beat("a heartbeat recorded in year 0000", s.telemetry(ids.long), commitBody([heartbeat(ids.long, {})], YEAR_0), "mapped"),
    beat("a heartbeat whose status isn't flat", s.telemetry(ids.long), commitBody([heartbeat(ids.long, { nested: { a: 1 } })]), { parked: "decode" }),

    note("NUL in an address, a lone surrogate in a parameter", commitBody([{ type: "NotificationRequested", data: {
      notificationId: ids.n1, channel: "email", userId: null, address: `ops${NUL}@example.com`, template: "test", language: "en",
      params: { amount: `3${LONE}` }, sourceEventId: null,
    } }]), "mapped"),
    note("a retry due in year 0000", commitBody([{ type: "NotificationAttemptFailed", data: { notificationId: ids.n1, attempt: 1, reason: "451", retryAt: YEAR_0 } }]), "mapped"),
    note("an attempt number beyond int4", commitBody([{ type: "NotificationAttemptStarted", data: {
      notificationId: ids.n1, attempt: 2 ** 40, provider: "smtp", worker: "w", leaseUntil: new Date().toISOString(),
    } }]), { parked: "22003" }),
    note("a message that isn't a commit at all", `${NUL}not json`, { parked: "decode" }),
  ]
}

/** Where each poisoned message is expected parked: one row per projection that could not apply it. */
function expectedParked(injected: ReadonlyArray<Poison & { readonly seq: number }>) {
  return injected.flatMap((p) => {
    if (p.outcome === "mapped") return []
    const code = p.outcome.parked
    const projections = code === "decode" ? PROJECTIONS.filter((q) => q.stream === p.stream).map((q) => q.name) : [p.projection]
    return projections.map((projection) => ({ projection, seq: p.seq, code, stream: p.stream }))
  }).toSorted((a, b) => a.projection.localeCompare(b.projection) || a.seq - b.seq)
}

describe("poisoned events already in the streams", () => {
  let f: ReadFixture
  let running: RunningProjectors | undefined
  const logLines: Array<Record<string, unknown>> = []
  const injected: Array<Poison & { readonly seq: number }> = []
  let later: { user: string; kiosk: string; payment: string }
  let live: Record<string, ReadonlyArray<unknown>>
  let injectedOn: string

  const streamLast = async (stream: StreamKey) => (await f.nats.jsm.streams.info(f.names.stream(stream))).state.last_seq
  async function atStreamEnds() {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
      const status = await projectionsStatus(f.deps)
      if (status.every((s) => s.checkpoint === s.streamLastSeq && s.streamLastSeq > 0)) return status
    }
    throw new Error(`projections did not reach their streams' ends: ${JSON.stringify(await projectionsStatus(f.deps))}`)
  }

  beforeAll(async () => {
    f = await readSideFixture()
    injectedOn = new Date().toISOString().slice(0, 10)
    for (const poison of poisons(f)) {
      injected.push({ ...poison, seq: await inject(f, poison.subject, poison.body) })
    }
    const logger = pino({ level: "warn" }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) })
    running = await startProjectors({ ...f.deps, logger }, { watchIntervalMs: 500 })
    // Later events, appended the ordinary way while the projectors run.
    const run = f.writes.run
    const user = await run(registerUser({ username: "later", password: "correct horse battery", role: "operator" }, f.context))
    const kiosk = await run(registerKiosk({ name: "Later", location: "Hall" }, f.context))
    const payment = await run(recordPayment({ kioskId: kiosk.kiosk.id, amount: 700, currency: "EUR", idempotencyKey: "later" }, f.context))
    await run(recordHeartbeat(kiosk.kiosk.id, { appVersion: "2.0", status: { paper: "ok" } }, f.context))
    await f.append("NOTIFICATIONS", f.names.subject.notification(ids.n1), [{ type: "NotificationSent",
      data: { notificationId: ids.n1, channel: "email", provider: "smtp", providerMessageId: "<m@x>", attempts: 1 } }])
    later = { user: user.user.id, kiosk: kiosk.kiosk.id, payment: payment.payment.id }
    await atStreamEnds()
  }, 120_000)

  afterAll(async () => {
    await running?.stop()
    await f?.dispose()
  })

  it("every projection reaches its stream's end, and exactly the unmappable events are parked", async () => {
    const status = await atStreamEnds()
    const expected = expectedParked(injected)
    expect(Object.fromEntries(status.map((s) => [s.name, s.parked])))
      .toEqual(Object.fromEntries(PROJECTIONS.map((p) => [p.name, expected.filter((e) => e.projection === p.name).length])))
    const parked = await listParked(f.deps)
    expect(parked.map((r) => [r.projection, r.seq, r.error_code, r.stream, r.resolution, r.attempts]))
      .toEqual(expected.map((e) => [e.projection, e.seq, e.code, f.names.stream(e.stream), null, 1]))
    for (const row of parked) expect(row.error.length, row.error).toBeGreaterThan(0)
    expect(parked.find((r) => r.error_code === "54000")).toMatchObject({ event_types: "UserPushDeviceAdded" })
    expect(parked.find((r) => r.projection === "notifications" && r.error_code === "decode")).toMatchObject({ event_types: "" })
  })

  it("stores the mappable ones mapped: U+FFFD for NUL and lone surrogates, clamped instants flagged", async () => {
    const db = f.db.db
    const users = await db.selectFrom("users").select(["user_id", "display_name", "email", "registered_at", "time_clamped"]).execute()
    const byId = new Map(users.map((u) => [u.user_id, u]))
    expect(byId.get(ids.ana)).toMatchObject({ display_name: `Ana${FFFD}`, email: `ana${FFFD}@example.com`, time_clamped: false })
    expect(byId.get(ids.bo)).toMatchObject({ display_name: `x${FFFD}`, time_clamped: false })
    expect(byId.get(ids.old)).toMatchObject({ registered_at: STORED_INSTANTS.min, time_clamped: true })

    expect(await db.selectFrom("kiosks").select(["name", "location", "last_seen_at", "status", "credential_version", "time_clamped"])
      .where("kiosk_id", "=", ids.lobby).executeTakeFirst())
      .toEqual({ name: `Lobby${FFFD}`, location: `Hall${FFFD}`, last_seen_at: STORED_INSTANTS.max, status: "offline", credential_version: 1, time_clamped: true })
    expect((await db.selectFrom("kiosks").select("name").where("kiosk_id", "=", ids.long).executeTakeFirst())?.name).toHaveLength(10_000)
    expect(await db.selectFrom("kiosks").select("kiosk_id").where("kiosk_id", "=", ids.nameless).execute()).toEqual([])
    expect(await db.selectFrom("kiosk_offline_periods").select(["offline_from", "back_at", "time_clamped"]).where("kiosk_id", "=", ids.lobby).execute())
      .toEqual([{ offline_from: STORED_INSTANTS.max, back_at: null, time_clamped: true }])

    const payments = await db.selectFrom("payments").select(["payment_id", "occurred_at", "refunded_amount", "time_clamped"])
      .where("kiosk_id", "=", ids.lobby).orderBy("occurred_at").execute()
    expect(payments).toEqual([
      { payment_id: ids.p0, occurred_at: STORED_INSTANTS.min, refunded_amount: 0, time_clamped: true },
      { payment_id: ids.pFeb, occurred_at: "2026-03-02T10:00:00.000Z", refunded_amount: 100, time_clamped: true },
      { payment_id: ids.p10k, occurred_at: STORED_INSTANTS.max, refunded_amount: 0, time_clamped: true },
    ])
    expect(await db.selectFrom("payment_refunds").select(["reason", "time_clamped"]).where("refund_id", "=", ids.refund).execute())
      .toEqual([{ reason: `dam${FFFD}aged${FFFD}`, time_clamped: false }])
    // Payments count on their (clamped) days; the refund on the day it was recorded.
    const days = await db.selectFrom("kiosk_daily_sales").select("day").where("kiosk_id", "=", ids.lobby).orderBy("day").execute()
    expect(days.map((d) => d.day)).toEqual([...new Set(["2000-01-01", "2026-03-02", "9999-12-31", injectedOn])].toSorted())

    const beats = await db.selectFrom("kiosk_heartbeats").select(["kiosk_id", "app_version", "device_status", "last_seen_at", "time_clamped"]).execute()
    expect(beats.find((b) => b.kiosk_id === ids.lobby)).toMatchObject({
      app_version: `1.0${FFFD}`, device_status: { [`paper${FFFD}`]: `l${FFFD}w`, note: FFFD }, time_clamped: false,
    })
    expect(beats.find((b) => b.kiosk_id === ids.long)).toMatchObject({ last_seen_at: STORED_INSTANTS.min, time_clamped: true })

    expect(await db.selectFrom("notifications").select(["address", "params", "retry_at", "status", "attempts", "time_clamped"])
      .where("notification_id", "=", ids.n1).executeTakeFirst())
      .toEqual({ address: `ops${FFFD}@example.com`, params: { amount: `3${FFFD}` }, retry_at: null, status: "sent", attempts: 1, time_clamped: true })
  })

  it("applies the events that came after, and min_seq reads answer at the streams' ends", async () => {
    const users = await f.query(listUsers({ minSeq: await streamLast("USERS") }))
    expect(users.items.map((u) => u.user_id)).toContain(later.user)
    const payments = await f.query(listPayments({ scope: "all", minSeq: await streamLast("PAYMENTS") }))
    expect(payments.items.map((p) => p.payment_id)).toContain(later.payment)
    for (const p of PROJECTIONS) await f.query(awaitProjection(p.name, await streamLast(p.stream), 1_000))
    expect(await f.db.db.selectFrom("kiosks").select("name").where("kiosk_id", "=", later.kiosk).executeTakeFirst()).toEqual({ name: "Later" })
    expect(await f.db.db.selectFrom("kiosk_heartbeats").select("app_version").where("kiosk_id", "=", later.kiosk).executeTakeFirst())
      .toEqual({ app_version: "2.0" })
  })

  it("says so: one error line per parked event, and the parked gauge on /metrics", async () => {
    const expected = expectedParked(injected)
    const lines = logLines.filter((l) => l.level === 50 && String(l.msg).startsWith("event parked"))
    expect(lines.map((l) => [l.projection, l.seq]).toSorted()).toEqual(expected.map((e) => [e.projection, e.seq]).toSorted())
    // Set as events are parked, and refreshed from the table by the projectors' watch.
    const wanted = PROJECTIONS.map((p) => `projection_parked_events{projection="${p.name}"} ${expected.filter((e) => e.projection === p.name).length}`)
    let gauge = ""
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(100)) {
      gauge = await registry.getSingleMetricAsString("projection_parked_events")
      if (wanted.every((line) => gauge.includes(line))) break
    }
    for (const line of wanted) expect(gauge).toContain(line)
  })

  it("a rebuild of every projection ends equal, parking the same events again", async () => {
    live = await snapshot(f.db, ALL_TABLES)
    const results = await rebuildProjections({ ...f.deps, logger: pino({ level: "silent" }) }, "all")
    for (const r of results) expect(r.checkpoint, r.projection).toBe(await streamLast(PROJECTIONS.find((p) => p.name === r.projection)!.stream))
    expect(await snapshot(f.db, ALL_TABLES)).toEqual(live)
    const parked = await listParked(f.deps)
    expect(parked.map((r) => [r.projection, r.seq, r.attempts, r.resolution]))
      .toEqual(parked.map((r) => [r.projection, r.seq, 2, null]))
    expect(parked).toHaveLength(expectedParked(injected).length)
  }, 120_000)
})
