// Two offline detectors on real NATS, a kiosk whose heartbeats stop and resume, and the notifier telling its
// operator: one KioskWentOffline, no repeat while down, one KioskCameOnline on recovery, one email for each.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { type Mailbox, startMailbox } from "../../../test/fakes/mailbox.ts"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { processRuntime } from "../../../test/support/processRuntime.ts"
import { testSettings } from "../../../test/support/settings.ts"
import { type CommandContext, pairKioskFromItsLabel, recordHeartbeat, registerKiosk, registerUser } from "../../commands/index.ts"
import type { AppSettings } from "../../platform/index.ts"
import { type RunningNotifier, startNotifier } from "../notifier/index.ts"
import { type RunningDetector, startOfflineDetector } from "./index.ts"

const admin: CommandContext = { actor: { kind: "system", name: "test" }, correlationId: "detector-test" }
let settings: AppSettings
let t: Awaited<ReturnType<typeof commandRuntime>>
let mailbox: Mailbox
let notifier: RunningNotifier
const detectors: Array<RunningDetector> = []
// One per instance, as if each ran in a process of its own.
const runtimes: Array<ReturnType<typeof processRuntime>> = []
const instanceRuntime = () => {
  const runtime = processRuntime(settings)
  runtimes.push(runtime)
  return runtime
}

beforeAll(async () => {
  mailbox = await startMailbox()
  settings = await testSettings({ HEARTBEAT_TIMEOUT_SECONDS: "2", SMTP_URL: mailbox.url, MAIL_FROM: "alerts@kiosk.example" })
  t = await commandRuntime(settings)
  notifier = await startNotifier(instanceRuntime())
})

afterAll(async () => {
  await Promise.all(detectors.map((d) => d.stop()))
  await notifier?.stop()
  await Promise.all(runtimes.map((r) => r.dispose()))
  await t?.dispose()
  await mailbox?.close()
})

async function connectivityEvents(kioskId: string) {
  const found: Array<string> = []
  for await (const c of t.store.replay("KIOSKS", { untilEnd: true, subject: t.store.naming.subject.kiosk(kioskId) })) {
    found.push(...c.recorded.filter((e) => e.type === "KioskWentOffline" || e.type === "KioskCameOnline").map((e) => e.type))
  }
  return found
}

describe("offline detector", () => {
  it("alerts once when a kiosk stops, not again while it stays down, and clears when it is back — with two instances", { timeout: 60_000 }, async () => {
    const { user } = await t.run(registerUser({ username: "eva", password: "correct horse battery", role: "operator", contact: { email: "eva@example.com" } }, admin))
    const { kiosk } = await t.run(registerKiosk({ code: "K-WATCH-1", name: "Station", location: "Bilbao" }, admin))
    await t.run(pairKioskFromItsLabel("K-WATCH-1", user.id, { ...admin, actor: { kind: "user", id: user.id, role: "operator" } }))
    const beat = () => t.run(recordHeartbeat(kiosk.id, { appVersion: "1.0.0" }, { actor: { kind: "kiosk", id: kiosk.id }, correlationId: "hb" }))

    await beat()
    detectors.push(await startOfflineDetector(instanceRuntime(), { scanIntervalMs: 250 }), await startOfflineDetector(instanceRuntime(), { scanIntervalMs: 250 }))

    // Its first heartbeat brings a new kiosk online (no news for anyone).
    await vi.waitFor(async () => expect(await connectivityEvents(kiosk.id)).toEqual(["KioskCameOnline"]), { timeout: 10_000 })
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 500))
      await beat()
    }
    expect(await connectivityEvents(kiosk.id)).toEqual(["KioskCameOnline"])

    // Silence: past the 2 s timeout, offline once; several scans of both instances later, still once.
    await vi.waitFor(async () => expect(await connectivityEvents(kiosk.id)).toEqual(["KioskCameOnline", "KioskWentOffline"]), { timeout: 10_000 })
    await new Promise((r) => setTimeout(r, 2_000))
    expect(await connectivityEvents(kiosk.id)).toEqual(["KioskCameOnline", "KioskWentOffline"])

    // Back: the next heartbeat clears it.
    await beat()
    await vi.waitFor(async () => expect(await connectivityEvents(kiosk.id)).toEqual(["KioskCameOnline", "KioskWentOffline", "KioskCameOnline"]), { timeout: 10_000 })

    // The operator heard about the outage and the recovery, once each; nothing for the first heartbeat.
    await vi.waitFor(() => expect(mailbox.received.map((m) => m.subject)).toEqual(["Kiosk Station is offline", "Kiosk Station is back online"]), { timeout: 15_000 })
    expect(mailbox.received.every((m) => m.envelopeTo[0] === "eva@example.com")).toBe(true)
    expect(mailbox.received[0]!.text).toMatch(/Last seen: \d+ \w+ \d{4}, \d\d:\d\d UTC/)
  })
})
