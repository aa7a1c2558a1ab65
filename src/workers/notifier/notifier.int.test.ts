// The notifier end to end on real NATS: domain events in, notifications out through nodemailer to a real SMTP
// server and the real twilio / firebase-admin SDKs to local fakes; the delivery record read back from the stream.
import { Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { type FcmFake, startFcmFake } from "../../../test/fakes/fcm.ts"
import { type Mailbox, startMailbox } from "../../../test/fakes/mailbox.ts"
import { startTwilioFake, type TwilioFake } from "../../../test/fakes/twilio.ts"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { processRuntime } from "../../../test/support/processRuntime.ts"
import { testSettings } from "../../../test/support/settings.ts"
import {
  addPushDevice, type CommandContext, DEFAULT_NOTIFICATION_KINDS, EventStore, notificationDecider, pairKioskFromItsLabel, recordPayment,
  refundPayment, registerKiosk, registerUser, requestNotification, retryNotification, writeSideLayer,
} from "../../commands/index.ts"
import { type AppSettings, closeNats, connectNats, makeLogger, naming, type NatsClients, newId } from "../../platform/index.ts"
import { closeDb, Db, type DbHandle, openDb, type RunningProjectors, startProjectors } from "../../projections/index.ts"
import { listOutbox, openOutbox } from "./channels/index.ts"
import { recipientsLayer } from "./recipientsLive.ts"
import { testEmail } from "./rules.ts"
import { requestNotificationsFor } from "./requests.ts"
import { type RunningNotifier, startNotifier } from "./worker.ts"

const admin: CommandContext = { actor: { kind: "system", name: "test" }, correlationId: "notifier-test" }
const accountSid = `AC${"0123456789abcdef".repeat(2)}`
const authToken = "twilio-test-auth-token"

let mailbox: Mailbox
let twilio: TwilioFake
let fcm: FcmFake
let settings: AppSettings
let t: Awaited<ReturnType<typeof commandRuntime>>
let notifier: RunningNotifier
let notifierRuntime: ReturnType<typeof processRuntime>
let db: DbHandle
let projectors: RunningProjectors
let readNats: NatsClients

beforeAll(async () => {
  mailbox = await startMailbox()
  twilio = await startTwilioFake({ accountSid, authToken })
  fcm = await startFcmFake()
  settings = await testSettings({
    SMTP_URL: mailbox.url, MAIL_FROM: "Admin Kiosk <alerts@kiosk.example>",
    TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM: "+15005550006", TWILIO_API_BASE: twilio.base,
    FCM_PROJECT_ID: fcm.projectId, GOOGLE_APPLICATION_CREDENTIALS: fcm.credentialsFile, FCM_API_BASE: fcm.base,
    NOTIFY_MAX_ATTEMPTS: "3", NOTIFY_RETRY_BASE_MS: "100", NOTIFY_SEND_TIMEOUT_MS: "3000",
  })
  t = await commandRuntime(settings)
  // The users read model lists the admins; its projector runs as it would in production.
  db = openDb(settings, "test")
  readNats = await connectNats(settings, "test-read")
  projectors = await startProjectors({ db, nats: readNats, names: naming(settings.namespace), logger: makeLogger(settings, "test") }, { only: ["users"] })
  notifierRuntime = processRuntime(settings)
  notifier = await startNotifier(notifierRuntime)
})

afterAll(async () => {
  await notifier?.stop()
  await notifierRuntime?.dispose()
  await projectors?.stop()
  await closeNats(readNats)
  await closeDb(db)
  await t?.dispose()
  await Promise.all([mailbox?.close(), twilio?.close(), fcm?.close()])
})

/** The notification's events, in order, as stored on `notifications.<id>`. */
async function record(notificationId: string) {
  const events = []
  for await (const commit of t.store.replay("NOTIFICATIONS", { untilEnd: true, subject: t.store.naming.subject.notification(notificationId) })) {
    events.push(...commit.recorded)
  }
  return events
}
const types = async (id: string) => (await record(id)).map((e) => e.type)
const finished = (id: string, timeout = 15_000) =>
  vi.waitFor(async () => {
    const last = (await types(id)).at(-1)
    if (last !== "NotificationSent" && last !== "NotificationFailed") throw new Error(`${id} still ${last ?? "unknown"}`)
  }, { timeout, interval: 50 })

/** Receipts are off by default; these operators asked for them (by email and push). */
const RECEIPTS_ON = { ...DEFAULT_NOTIFICATION_KINDS, receipts: { email: true, sms: false, push: true } }

async function operatorWithKiosk(name: string, contact: Parameters<typeof registerUser>[0]["contact"], kinds = RECEIPTS_ON) {
  const preferences = { email: true, sms: false, push: false, ...contact?.preferences, kinds }
  const { user } = await t.run(registerUser({ username: name, password: "correct horse battery", role: "operator", contact: { ...contact, preferences } }, admin))
  const code = `K-${name.toUpperCase()}`
  const { kiosk } = await t.run(registerKiosk({ code, name: `Kiosk ${name}`, location: "Madrid" }, admin))
  await t.run(pairKioskFromItsLabel(code, user.id, { ...admin, actor: { kind: "user", id: user.id, role: "operator" } }))
  return { user, kiosk }
}

describe("notifier", () => {
  it("says which channels it uses at start", () => {
    expect(notifier.channels).toEqual([
      `email → SMTP ${mailbox.url}`,
      `sms → Twilio ${twilio.base}`,
      `push → FCM project ${fcm.projectId} via ${fcm.base}`,
    ])
  })

  it("a payment sends its operator a receipt by email, in their language, exactly once", async () => {
    const { user, kiosk } = await operatorWithKiosk("ana", { email: "ana@example.es", language: "es" })
    const { payment } = await t.run(recordPayment({ kioskId: kiosk.id, amount: 1250, currency: "EUR", occurredAt: "2026-11-28T10:15:00Z", idempotencyKey: "p-ana-1" }, admin))
    await mailbox.waitFor(1)
    const mail = mailbox.received.find((m) => m.envelopeTo.includes("ana@example.es"))!
    expect(mail.subject).toBe("Pago recibido en Kiosk ana: 12,50 EUR")
    expect(mail.text).toContain("Se registró un pago de 12,50 EUR en el quiosco Kiosk ana el 28 nov 2026, 10:15 UTC.")
    expect(mail.text).toContain(`Referencia del pago: ${payment.id}`)

    await finished(mail.notificationId)
    const events = await record(mail.notificationId)
    expect(events.map((e) => e.type)).toEqual(["NotificationRequested", "NotificationAttemptStarted", "NotificationHandedOver", "NotificationSent"])
    expect(events[0]!.data).toMatchObject({ channel: "email", userId: user.id, address: "ana@example.es", template: "payment-receipt", language: "es" })
    expect(events.at(-1)!.data).toEqual({
      notificationId: mail.notificationId, channel: "email", provider: "smtp", providerMessageId: `<${mail.notificationId}@kiosk.example>`, attempts: 1,
    })
  })

  it("an operator who never asked for receipts gets none, but hears of a refund", async () => {
    const { kiosk } = await operatorWithKiosk("quiet", { email: "quiet@example.com" }, DEFAULT_NOTIFICATION_KINDS)
    const { payment } = await t.run(recordPayment({ kioskId: kiosk.id, amount: 700, currency: "EUR", idempotencyKey: "p-quiet-1" }, admin))
    await t.run(refundPayment(payment.id, { amount: 700, reason: "Changed mind" }, admin))
    // The notifier takes PAYMENTS in order: once the refund's notice is in, the payment was already handled.
    await vi.waitFor(() => expect(mailbox.received.some((m) => m.envelopeTo.includes("quiet@example.com"))).toBe(true), { timeout: 15_000 })
    await new Promise((r) => setTimeout(r, 300))
    expect(mailbox.received.filter((m) => m.envelopeTo.includes("quiet@example.com")).map((m) => m.subject)).toEqual(["Refund of 7.00 EUR at Kiosk quiet"])
  })

  it("handling the same payment event again requests nothing new and sends nothing", async () => {
    const { kiosk } = await operatorWithKiosk("bea", { email: "bea@example.com" })
    await t.run(recordPayment({ kioskId: kiosk.id, amount: 990, currency: "EUR", idempotencyKey: "p-bea-1" }, admin))
    await vi.waitFor(() => expect(mailbox.received.some((m) => m.envelopeTo.includes("bea@example.com"))).toBe(true), { timeout: 15_000 })
    const sent = mailbox.received.find((m) => m.envelopeTo.includes("bea@example.com"))!
    await finished(sent.notificationId)

    // Redeliver it by hand: the stored PaymentRecorded commit, through the same request path the consumer uses.
    let stored
    for await (const commit of t.store.replay("PAYMENTS", { untilEnd: true, subject: t.store.naming.subject.kioskPayments(kiosk.id) })) stored = commit
    const runtime = ManagedRuntime.make(recipientsLayer.pipe(Layer.provideMerge(Layer.merge(writeSideLayer(settings, "test-redelivery"), Db.layerFrom(db)))))
    const again = await runtime.runPromise(requestNotificationsFor({ largePaymentAlertMinor: settings.largePaymentAlertMinor }, stored!))
    await runtime.dispose()
    expect(again.map((r) => r.notificationId)).toEqual([sent.notificationId])
    await new Promise((r) => setTimeout(r, 500))
    expect((await types(sent.notificationId)).filter((x) => x === "NotificationRequested")).toHaveLength(1)
    expect(mailbox.received.filter((m) => m.notificationId === sent.notificationId)).toHaveLength(1)
  })

  it("a server answering 451 twice, then accepting: one delivery after two retries with back-off", async () => {
    mailbox.script({ code: 451, message: "Greylisted, try again" }, { code: 451, message: "Greylisted, try again" })
    const { notificationId } = await t.run(requestNotification(testEmail({ requestId: newId("req"), to: "grey@example.com", requestedBy: "admin" }), admin))
    await finished(notificationId)
    const events = await record(notificationId)
    expect(events.map((e) => e.type)).toEqual([
      "NotificationRequested",
      "NotificationAttemptStarted", "NotificationHandedOver", "NotificationAttemptFailed",
      "NotificationAttemptStarted", "NotificationHandedOver", "NotificationAttemptFailed",
      "NotificationAttemptStarted", "NotificationHandedOver", "NotificationSent",
    ])
    const failures = events.filter((e) => e.type === "NotificationAttemptFailed").map((e) => e.data as { reason: string; retryAt: string })
    expect(failures.map((f) => f.reason)).toEqual(["SMTP 451: 451 Greylisted, try again", "SMTP 451: 451 Greylisted, try again"])
    // Each retry waited for its retryAt (a delayed redelivery), and the waits grow: 100 ms, then 200 ms.
    const starts = events.filter((e) => e.type === "NotificationAttemptStarted").map((e) => Date.parse(e.time))
    expect(starts[1]!).toBeGreaterThanOrEqual(Date.parse(failures[0]!.retryAt))
    expect(starts[2]!).toBeGreaterThanOrEqual(Date.parse(failures[1]!.retryAt))
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(100)
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(200)
    expect(events.at(-1)!.data).toMatchObject({ provider: "smtp", attempts: 3 })
    expect(mailbox.attempts.filter((a) => a.notificationId === notificationId).map((a) => a.reply === "accept" ? "accept" : a.reply.code))
      .toEqual([451, 451, "accept"])
    expect(mailbox.received.filter((m) => m.notificationId === notificationId)).toHaveLength(1)
  })

  it("a 550 fails the notification at once, with the reason, and it is never tried again", async () => {
    mailbox.script({ code: 550, message: "No such user here" })
    const { notificationId } = await t.run(requestNotification(testEmail({ requestId: newId("req"), to: "nobody@example.com", requestedBy: "admin" }), admin))
    await finished(notificationId)
    await new Promise((r) => setTimeout(r, 1_000))
    const events = await record(notificationId)
    expect(events.map((e) => e.type)).toEqual(["NotificationRequested", "NotificationAttemptStarted", "NotificationHandedOver", "NotificationFailed"])
    expect(events.at(-1)!.data).toMatchObject({ reason: "SMTP 550: 550 No such user here", attempts: 1 })
    expect(mailbox.attempts.filter((a) => a.notificationId === notificationId)).toHaveLength(1)
  })

  it("a server that keeps answering 451 fails it after the configured attempts; an admin's retry then delivers it", async () => {
    const grey = { code: 451, message: "Mailbox busy" }
    mailbox.script(grey, grey, grey)
    const { notificationId } = await t.run(requestNotification(testEmail({ requestId: newId("req"), to: "busy@example.com", requestedBy: "admin" }), admin))
    await finished(notificationId)
    await new Promise((r) => setTimeout(r, 800))
    const dead = await record(notificationId)
    expect(dead.at(-1)).toMatchObject({ type: "NotificationFailed", data: { reason: "SMTP 451: 451 Mailbox busy (gave up after 3 attempts)", attempts: 3 } })
    expect(mailbox.attempts.filter((a) => a.notificationId === notificationId)).toHaveLength(3)

    await t.run(retryNotification(notificationId, admin))
    await vi.waitFor(async () => expect((await types(notificationId)).at(-1)).toBe("NotificationSent"), { timeout: 15_000 })
    expect((await record(notificationId)).at(-1)!.data).toMatchObject({ attempts: 1 })
    expect(mailbox.received.filter((m) => m.notificationId === notificationId)).toHaveLength(1)
  })

  it("pushes to every device of the operator; a token FCM no longer knows fails and is removed from the user", async () => {
    const { user, kiosk } = await operatorWithKiosk("cho", { email: null, preferences: { email: false, sms: false, push: true } })
    await t.run(addPushDevice(user.id, "token-good", admin))
    await t.run(addPushDevice(user.id, "token-stale", admin))
    fcm.unregister("token-stale")
    await t.run(recordPayment({ kioskId: kiosk.id, amount: 400, currency: "USD", idempotencyKey: "p-cho-1" }, admin))

    await vi.waitFor(() => expect(fcm.accepted.some((a) => a.token === "token-good")).toBe(true), { timeout: 15_000 })
    const good = fcm.sends.find((s) => s.message.token === "token-good")!
    expect(good.message.notification).toEqual({ title: "Payment received at Kiosk cho: 4.00 USD", body: "4.00 USD received at Kiosk cho" })
    const notificationId = good.message.data!.notificationId!
    expect(good.message.android).toEqual({ collapse_key: notificationId })
    await finished(notificationId)
    expect((await record(notificationId)).at(-1)!.data).toMatchObject({ provider: "fcm", providerMessageId: fcm.accepted.find((a) => a.token === "token-good")!.name })

    const staleId = fcm.sends.find((s) => s.message.token === "token-stale")!.message.data!.notificationId!
    await finished(staleId)
    expect((await record(staleId)).at(-1)).toMatchObject({ type: "NotificationFailed", data: { attempts: 1 } })
    await vi.waitFor(async () => {
      const removed = []
      for await (const c of t.store.replay("USERS", { untilEnd: true, subject: t.store.naming.subject.user(user.id) })) {
        removed.push(...c.recorded.filter((e) => e.type === "UserPushDeviceRemoved"))
      }
      expect(removed.map((e) => e.data)).toEqual([{ userId: user.id, deviceToken: "token-stale", reason: "stale" }])
    }, { timeout: 10_000 })
  })

  it("a payment above the threshold alerts each admin who takes SMS, through Twilio, in their language", async () => {
    const { user: boss } = await t.run(registerUser({
      username: "boss", password: "correct horse battery", role: "admin",
      contact: { phone: "+34600999888", language: "es", preferences: { email: false, sms: true, push: false } },
    }, admin))
    await t.run(registerUser({ username: "quiet-admin", password: "correct horse battery", role: "admin", contact: { phone: "+34600777666" } }, admin))
    // The read model must know the admins before the payment arrives (the projector is live; wait for it).
    await vi.waitFor(async () => expect(await db.db.selectFrom("users").select("user_id").where("role", "=", "admin").execute()).toHaveLength(2), { timeout: 10_000 })
    const { kiosk } = await operatorWithKiosk("dan", { email: null, preferences: { email: false, sms: false, push: false } })
    const { payment } = await t.run(recordPayment({ kioskId: kiosk.id, amount: settings.largePaymentAlertMinor + 1, currency: "EUR", idempotencyKey: "p-dan-big" }, admin))

    await vi.waitFor(() => expect(twilio.accepted.some((m) => m.to === "+34600999888")).toBe(true), { timeout: 15_000 })
    const sms = twilio.messages.filter((m) => m.to === "+34600999888")
    expect(sms).toEqual([{
      accountSid, to: "+34600999888", from: "+15005550006", messagingServiceSid: undefined,
      body: `Admin Kiosk: pago elevado de 500,01 EUR en Kiosk dan (más de 500,00 EUR). Ref ${payment.id}`,
      authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`,
    }])
    // The other admin did not opt into SMS.
    expect(twilio.messages.some((m) => m.to === "+34600777666")).toBe(false)
    const requested = []
    for await (const c of t.store.replay("NOTIFICATIONS", { untilEnd: true })) {
      requested.push(...c.recorded.filter((e) => e.type === "NotificationRequested" && (e.data as { userId: string | null }).userId === boss.id))
    }
    expect(requested).toHaveLength(1)
  })

  it("sends an SMS through Twilio with the notification's text", async () => {
    const store = await t.run(EventStore)
    const notificationId = "ntf_smsworker000000000000001"
    await t.run(store.handle(notificationDecider, { stream: "NOTIFICATIONS", subject: store.naming.subject.notification(notificationId) }, {
      type: "RequestNotification",
      request: {
        notificationId, channel: "sms", userId: null, address: "+34600111222", template: "kiosk-offline", language: "en",
        params: { kioskName: "Lobby", lastSeenAt: "2026-11-28T09:00:00Z" }, sourceEventId: null,
      },
    }, admin))
    await finished(notificationId)
    expect(twilio.messages.at(-1)).toMatchObject({ to: "+34600111222", from: "+15005550006", body: "Admin Kiosk: kiosk Lobby is offline (last seen 28 Nov 2026, 09:00 UTC)" })
    expect((await record(notificationId)).at(-1)!.data).toMatchObject({ provider: "twilio", providerMessageId: twilio.accepted.at(-1)!.sid })
  })
})

describe("notifier without providers", () => {
  it("says so at start and writes to the outbox, which the console can list", async () => {
    const bare = await testSettings({ NOTIFY_SEND_TIMEOUT_MS: "3000" })
    const bareRuntime = processRuntime(bare)
    const running = await startNotifier(bareRuntime)
    const local = await commandRuntime(bare)
    try {
      expect(running.channels).toEqual([
        "email → outbox (SMTP_URL is not set)",
        "sms → outbox (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not all set)",
        "push → outbox (FCM_PROJECT_ID and GOOGLE_APPLICATION_CREDENTIALS are not both set)",
      ])
      const { notificationId } = await local.run(requestNotification(testEmail({ requestId: newId("req"), to: "someone@example.com", requestedBy: "root", language: "es" }), admin))
      await vi.waitFor(async () => {
        const last = []
        for await (const c of local.store.replay("NOTIFICATIONS", { untilEnd: true, subject: local.store.naming.subject.notification(notificationId) })) last.push(...c.recorded)
        expect(last.at(-1)).toMatchObject({ type: "NotificationSent", data: { provider: "outbox", providerMessageId: `outbox:${notificationId}` } })
      }, { timeout: 15_000 })
      const clients = await connectNats(bare, "test")
      try {
        const entries = await listOutbox(await openOutbox(clients.js, naming(bare.namespace)))
        expect(entries).toEqual([expect.objectContaining({
          notificationId, channel: "email", address: "someone@example.com", subject: "Correo de prueba de Admin Kiosk",
        })])
        expect(entries[0]!.text).toContain("enviado a petición de root")
      } finally {
        await closeNats(clients)
      }
    } finally {
      await running.stop()
      await bareRuntime.dispose()
      await local.dispose()
    }
  })
})
