// Every read model, fed a history made by the real command handlers: what it holds, and that replaying
// every event twice — by hand or through its live consumer — changes nothing.
import { setTimeout as sleep } from "node:timers/promises"
import { AckPolicy, DeliverPolicy } from "@nats-io/jetstream"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PROJECTIONS } from "./catalogue.ts"
import type { TableName } from "./db.ts"
import { readCheckpoints } from "./engine/checkpoints.ts"
import type { RecordedEvent } from "./engine/projection.ts"
import { recordedEvents } from "./engine/recorded.ts"
import { projectionStatus } from "./engine/status.ts"
import { readStream } from "./engine/streamReader.ts"
import { type RunningProjectors, startProjectors } from "./runtime.ts"
import { getKiosk, listKiosks } from "./kiosks/queries.ts"
import { getNotification, listNotifications } from "./notifications/queries.ts"
import { readSideFixture, type ReadFixture, snapshot } from "../../test/support/projections/fixture.ts"
import { getUser, listUsers } from "./users/queries.ts"
import { buildHistory, type History } from "../../test/support/projections/history.ts"

const ALL_TABLES = PROJECTIONS.flatMap((p) => p.tables)

describe("read models", () => {
  let f: ReadFixture
  let history: History
  let running: RunningProjectors | undefined
  let clean: Record<string, ReadonlyArray<unknown>>

  async function caughtUp() {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
      if ((await projectionStatus(f.deps, PROJECTIONS)).every((s) => s.lag === 0)) return
    }
    throw new Error(`projections did not catch up: ${JSON.stringify(await projectionStatus(f.deps, PROJECTIONS))}`)
  }

  beforeAll(async () => {
    f = await readSideFixture()
    history = await buildHistory(f)
    running = await startProjectors(f.deps)
    await caughtUp()
    clean = await snapshot(f.db, ALL_TABLES)
  }, 120_000)
  afterAll(async () => {
    await running?.stop()
    await f.dispose()
  })

  it("hold what the commands did", async () => {
    const ana = await f.db.db.selectFrom("users").selectAll().where("user_id", "=", history.ana.user.id).executeTakeFirstOrThrow()
    expect(ana).toMatchObject({ username: "ana", role: "operator", display_name: "Ana", email: "ana@example.com", language: "es", active: true })
    expect(await f.db.db.selectFrom("user_push_devices").select("device_token").where("user_id", "=", history.ana.user.id).execute())
      .toEqual([{ device_token: "fcm-token-ana-2" }])
    expect(await f.db.db.selectFrom("users").select(["role", "active"]).where("user_id", "=", history.auditor.user.id).executeTakeFirst())
      .toEqual({ role: "auditor", active: false })
    // No credential of any kind leaves the write side.
    const { rows: columns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = ${f.db.schema}`.execute(f.db.db)
    expect(columns.map((c) => c.column_name).filter((c) => /password|hash|secret/.test(c))).toEqual([])

    const [k1, k2, k3] = history.kiosks.map((k) => k.kiosk.id)
    const kiosks = await f.db.db.selectFrom("kiosks").selectAll().orderBy("code").execute()
    expect(kiosks.map((k) => [k.kiosk_id, k.name, k.assignee_id, k.status, k.credential_version])).toEqual([
      [k2, "Gate", history.bob.user.id, "offline", 2],
      [k1, "Main lobby", history.ana.user.id, "online", 1],
      [k3, "Old", null, "decommissioned", 1],
    ])
    const beat = await f.db.db.selectFrom("kiosk_heartbeats").selectAll().where("kiosk_id", "=", k1!).executeTakeFirstOrThrow()
    expect(beat).toMatchObject({ app_version: "1.0.2", device_status: { paper: 2, printer: "ok" } })

    const refunded = await f.db.db.selectFrom("payments").selectAll().where("payment_id", "=", history.payments[0]!.payment.id).executeTakeFirstOrThrow()
    expect(refunded).toMatchObject({ amount: 1_000, refunded_amount: 500, refund_count: 2, net_amount: 500, currency: "USD" })
    expect(await f.db.db.selectFrom("payments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst()).toEqual({ n: 12 })
    const days = await f.db.db.selectFrom("kiosk_daily_sales").select((eb) => [
      eb.fn.sum<string>("payment_count").as("count"), eb.fn.sum<string>("gross").as("gross"), eb.fn.sum<string>("refunds").as("refunds"),
      eb.fn.sum<string>("net").as("net"),
    ]).executeTakeFirstOrThrow()
    const gross = history.payments.reduce((sum, p) => sum + p.payment.amount, 0)
    const refunds = 500 + history.payments[3]!.payment.amount
    expect(Object.fromEntries(Object.entries(days).map(([k, v]) => [k, Number(v)])))
      .toEqual({ count: 12, gross, refunds, net: gross - refunds })

    const [n1, n2] = history.notifications
    const notes = await f.db.db.selectFrom("notifications").select(["notification_id", "status", "attempts", "provider", "last_error"])
      .orderBy("notification_id").execute()
    expect(notes).toEqual([
      { notification_id: n1, status: "sent", attempts: 1, provider: "smtp", last_error: null },
      { notification_id: n2, status: "sent", attempts: 3, provider: "twilio", last_error: null },
    ].toSorted((a, b) => (a.notification_id! < b.notification_id! ? -1 : 1)))
  })

  it("answer the console's queries: kiosks, users, notifications", async () => {
    const [k1, k2, k3] = history.kiosks.map((k) => k.kiosk.id)
    const anas = await f.query(listKiosks({ scope: { operatorId: history.ana.user.id } }))
    expect(anas.items.map((k) => k.kiosk_id)).toEqual([k1])
    expect(anas.items[0]).toMatchObject({ name: "Main lobby", status: "online", app_version: "1.0.2" })
    // Last seen: the latest heartbeat (recorded now) beats the older online transition.
    expect(anas.items[0]!.last_seen_at! > "2026-03-01T10:00:00.000Z").toBe(true)
    expect((await f.query(listKiosks({ scope: "all", search: "gAtE" }))).items.map((k) => k.kiosk_id)).toEqual([k2])
    expect((await f.query(listKiosks({ scope: "all", status: "decommissioned" }))).items.map((k) => k.kiosk_id)).toEqual([k3])
    const byCode: Array<string> = []
    let cursor: string | undefined
    do {
      const page = await f.query(listKiosks({ scope: "all", sort: "-code", limit: 1, cursor }))
      byCode.push(...page.items.map((k) => k.code))
      cursor = page.next_cursor ?? undefined
    } while (cursor !== undefined)
    expect(byCode).toEqual(["KSK-OLD-0003", "KSK-LOBBY-0001", "KSK-GATE-0002"])
    const hidden = await f.attemptQuery(getKiosk(k2!, { scope: { operatorId: history.ana.user.id } }))
    expect(hidden._tag === "Failure" && hidden.failure._tag).toBe("NotFound")

    const operators = await f.query(listUsers({ role: "operator" }))
    expect(operators.items.map((u) => u.username)).toEqual(["ana", "bob"])
    expect(operators.items[0]!.push_tokens).toEqual(["fcm-token-ana-2"])
    expect((await f.query(listUsers({ active: false }))).items.map((u) => u.username)).toEqual(["carla"])
    expect(await f.query(getUser(history.bob.user.id))).toMatchObject({ display_name: "Bo", email: "bo@example.com", language: "en" })
    expect((await f.attemptQuery(getUser("usr_nobody000000")))._tag).toBe("Failure")

    const [n1, n2] = history.notifications
    expect((await f.query(listNotifications({ channel: "sms" }))).items.map((n) => n.notification_id)).toEqual([n2])
    expect(await f.query(getNotification(n1!))).toMatchObject({ status: "sent", provider: "smtp", confirmed: true, retry_at: null })
  })

  it("replaying every event twice changes nothing", async () => {
    await running?.stop()
    running = undefined
    for (const projection of PROJECTIONS) {
      const events: Array<RecordedEvent> = []
      for await (const batch of readStream(f.deps.nats.js, f.deps.nats.jsm, f.names.stream(projection.stream), 1)) {
        for (const msg of batch) events.push(...recordedEvents(msg, projection.stream))
      }
      expect(events.length, projection.name).toBeGreaterThan(0)
      await f.db.db.transaction().execute(async (trx) => {
        // From empty, each event applied twice in a row…
        for (const table of projection.tables) await trx.deleteFrom(table as TableName).execute()
        for (const event of events) {
          await projection.apply(trx, [event])
          await projection.apply(trx, [event])
        }
        // …then the whole stream again, as one batch, on top.
        await projection.apply(trx, events)
      })
      expect(await snapshot(f.db, projection.tables), projection.name).toEqual(pick(clean, projection.tables))
    }
  })

  it("redelivering the whole stream through the live consumers changes nothing", async () => {
    await running?.stop()
    running = undefined
    const checkpoints = await readCheckpoints(f.db.db)
    // Fresh durable consumers that start from the first message: every event arrives a second time.
    for (const projection of PROJECTIONS) {
      const stream = f.names.stream(projection.stream)
      const durable = f.names.consumer("projection", projection.name)
      await f.deps.nats.jsm.consumers.delete(stream, durable)
      await f.deps.nats.jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All })
    }
    running = await startProjectors(f.deps)
    for (const projection of PROJECTIONS) {
      const stream = f.names.stream(projection.stream)
      const durable = f.names.consumer("projection", projection.name)
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
        const info = await f.deps.nats.jsm.consumers.info(stream, durable)
        if (info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0) break
      }
      const info = await f.deps.nats.jsm.consumers.info(stream, durable)
      expect([projection.name, info.num_pending, info.num_ack_pending]).toEqual([projection.name, 0, 0])
    }
    expect(await readCheckpoints(f.db.db)).toEqual(checkpoints)
    expect(await snapshot(f.db, ALL_TABLES)).toEqual(clean)
  })
})

function pick(all: Record<string, ReadonlyArray<unknown>>, tables: ReadonlyArray<string>) {
  return Object.fromEntries(tables.map((t) => [t, all[t]]))
}
