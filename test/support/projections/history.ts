// A small but complete history, made by the real command handlers (and direct appends for notifications, which
// have no command of their own): every event type every projection handles, including multi-step lifecycles.
import {
  addPushDevice, changeOwnPassword, changeUserContact, changeUserRole, deactivateUser, decommissionKiosk,
  pairKioskFromItsLabel,
  markKioskOffline, markKioskOnline, recordHeartbeat, recordPayment, refundPayment, registerKiosk, registerUser, removePushDevice,
  renameKiosk, resetUserPassword, rotateKioskCredential, unassignKiosk,
} from "../../../src/commands/index.ts"
import { newId } from "../../../src/platform/index.ts"
import type { ReadFixture } from "./fixture.ts"

/** Test histories are dated years back (2020, early 2026): recorded as an importer would, past the kiosks' window. */
export const HISTORY_DAYS = 3_650

export async function buildHistory(f: ReadFixture) {
  const { run } = f.writes
  const ctx = f.context
  const contact = { displayName: "Ana", email: "ana@example.com", phone: "+34600111222", language: "es" as const,
    preferences: { email: true, sms: true, push: true } }

  const admin = await run(registerUser({ username: "admin1", password: "correct horse battery", role: "admin" }, ctx))
  const ana = await run(registerUser({ username: "ana", password: "correct horse battery", role: "operator", contact }, ctx))
  const bob = await run(registerUser({ username: "bob", password: "correct horse battery", role: "operator" }, ctx))
  await run(changeUserContact(bob.user.id, { ...contact, displayName: "Bo", email: "bo@example.com", language: "en" }, ctx))
  await run(addPushDevice(ana.user.id, "fcm-token-ana-1", ctx))
  await run(addPushDevice(ana.user.id, "fcm-token-ana-2", ctx))
  await run(removePushDevice(ana.user.id, "fcm-token-ana-1", "stale", ctx))
  await run(resetUserPassword(ana.user.id, "another long password", ctx))
  await run(changeOwnPassword(ana.user.id, { current: "another long password", next: "yet another long password" }, ctx))
  const auditor = await run(registerUser({ username: "carla", password: "correct horse battery", role: "operator" }, ctx))
  await run(changeUserRole(auditor.user.id, "auditor", ctx))
  await run(deactivateUser(auditor.user.id, ctx))

  const k1 = await run(registerKiosk({ name: "Lobby", location: "Madrid", code: "KSK-LOBBY-0001" }, ctx))
  const k2 = await run(registerKiosk({ name: "Gate", location: "Sevilla", code: "KSK-GATE-0002" }, ctx))
  const k3 = await run(registerKiosk({ name: "Old", location: "Bilbao", code: "KSK-OLD-0003" }, ctx))
  await run(renameKiosk(k1.kiosk.id, { name: "Main lobby", location: "Madrid centro" }, ctx))
  await run(pairKioskFromItsLabel("KSK-LOBBY-0001", ana.user.id, ctx))
  await run(pairKioskFromItsLabel("KSK-GATE-0002", bob.user.id, ctx))
  await run(pairKioskFromItsLabel("KSK-OLD-0003", bob.user.id, ctx))
  await run(unassignKiosk(k3.kiosk.id, ctx))
  await run(rotateKioskCredential(k2.kiosk.id, ctx))
  await run(markKioskOnline(k1.kiosk.id, "2026-03-01T10:00:00.000Z", ctx))
  await run(markKioskOffline(k2.kiosk.id, "2026-03-01T09:00:00.000Z", ctx))
  await run(decommissionKiosk(k3.kiosk.id, ctx))
  for (let i = 0; i < 3; i++) {
    await run(recordHeartbeat(k1.kiosk.id, { appVersion: `1.0.${i}`, status: { paper: i, printer: "ok" } }, ctx))
    await run(recordHeartbeat(k2.kiosk.id, { appVersion: "2.0.0", status: { battery: 90 - i } }, ctx))
  }

  const payments = []
  for (let i = 0; i < 12; i++) {
    const kiosk = i % 2 === 0 ? k1 : k2
    const occurredAt = `2026-03-0${1 + (i % 3)}T1${i % 10}:00:00.000Z`
    payments.push(await run(recordPayment({ kioskId: kiosk.kiosk.id, amount: 1_000 + i * 10, currency: i % 4 === 0 ? "USD" : "EUR",
      occurredAt, idempotencyKey: `key-${i}`, maxAgeDays: HISTORY_DAYS }, ctx)))
  }
  await run(refundPayment(payments[0]!.payment.id, { amount: 300, reason: "damaged", idempotencyKey: "r1" }, ctx))
  await run(refundPayment(payments[0]!.payment.id, { amount: 200, reason: "again", idempotencyKey: "r2" }, ctx))
  await run(refundPayment(payments[3]!.payment.id, { amount: payments[3]!.payment.amount, idempotencyKey: "r3" }, ctx))

  const n1 = newId("ntf")
  const n2 = newId("ntf")
  const requested = (notificationId: string, channel: "email" | "sms") => ({
    type: "NotificationRequested" as const,
    data: { notificationId, channel, userId: ana.user.id, address: channel === "email" ? "ana@example.com" : "+34600111222",
      template: "payment.refunded", language: "es" as const, params: { amount: "3.00" }, sourceEventId: null },
  })
  await f.append("NOTIFICATIONS", f.names.subject.notification(n1), [requested(n1, "email")])
  await f.append("NOTIFICATIONS", f.names.subject.notification(n2), [requested(n2, "sms")])
  await f.append("NOTIFICATIONS", f.names.subject.notification(n1), [{ type: "NotificationSent",
    data: { notificationId: n1, channel: "email", provider: "smtp", providerMessageId: "<m1@x>", attempts: 1 } }])
  await f.append("NOTIFICATIONS", f.names.subject.notification(n2), [{ type: "NotificationFailed",
    data: { notificationId: n2, channel: "sms", reason: "451 try later", attempts: 1 } }])
  await f.append("NOTIFICATIONS", f.names.subject.notification(n2), [{ type: "NotificationRetryRequested", data: { notificationId: n2 } }])
  // One commit with two events that share a sequence: both must apply.
  await f.append("NOTIFICATIONS", f.names.subject.notification(n2), [
    { type: "NotificationFailed", data: { notificationId: n2, channel: "sms", reason: "451 again", attempts: 2 } },
    { type: "NotificationSent", data: { notificationId: n2, channel: "sms", provider: "twilio", providerMessageId: "SM1", attempts: 3 } },
  ])

  return { admin, ana, bob, auditor, kiosks: [k1, k2, k3], payments, notifications: [n1, n2] }
}

export type History = Awaited<ReturnType<typeof buildHistory>>
