// Provisioning against a real nats-server: idempotent, race-safe, and the audit log refuses removal.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testSettings } from "../../../test/support/settings.ts"
import { closeNats, connectNats, type Naming, naming, type NatsClients, STREAMS } from "../../platform/index.ts"
import { provisionStreams, STORE_BUCKETS, TELEMETRY_MAX_PER_KIOSK } from "./provision.ts"

let clients: NatsClients
let other: NatsClients
let names: Naming

beforeAll(async () => {
  const settings = await testSettings()
  names = naming(settings.namespace)
  clients = await connectNats(settings, "test")
  other = await connectNats(settings, "test-2")
})
afterAll(async () => {
  await closeNats(clients)
  await closeNats(other)
})

describe("provisionStreams", () => {
  it("creates everything once, from two processes at once, then changes nothing", async () => {
    const [a, b] = await Promise.all([provisionStreams(clients.jsm, names), provisionStreams(other.jsm, names)])
    for (const key of STREAMS) expect([a.streams[key], b.streams[key]]).toContain("created")
    const again = await provisionStreams(clients.jsm, names)
    expect(Object.values(again.streams)).toEqual(STREAMS.map(() => "unchanged"))
    expect(again.buckets).toEqual([names.bucket(STORE_BUCKETS.snapshots)])

    const payments = await clients.jsm.streams.info(names.stream("PAYMENTS"))
    expect(payments.config).toMatchObject({
      subjects: [names.streamSubjects("PAYMENTS")], storage: "file", allow_direct: true, deny_delete: true, deny_purge: true,
      max_age: 0, duplicate_window: 120_000_000_000,
    })
    const telemetry = await clients.jsm.streams.info(names.stream("TELEMETRY"))
    expect(telemetry.config.max_age).toBeGreaterThan(0)
    expect(telemetry.config.max_msgs_per_subject).toBe(TELEMETRY_MAX_PER_KIOSK)
  })

  it("puts a drifted stream back to its specification", async () => {
    const name = names.stream("TELEMETRY")
    const current = await clients.jsm.streams.info(name)
    await clients.jsm.streams.update(name, { ...current.config, max_msgs_per_subject: 5 })
    const report = await provisionStreams(clients.jsm, names)
    expect(report.streams.TELEMETRY).toBe("updated")
    expect((await clients.jsm.streams.info(name)).config.max_msgs_per_subject).toBe(TELEMETRY_MAX_PER_KIOSK)
  })

  it("never lowers a limit raised by hand, and says so in one line", async () => {
    const name = names.stream("TELEMETRY")
    const current = await clients.jsm.streams.info(name)
    const raised = current.config.max_age * 4
    await clients.jsm.streams.update(name, { ...current.config, max_age: raised, description: "edited by hand" })
    const lines: Array<string> = []
    const report = await provisionStreams(clients.jsm, names, { log: { info: (line: string) => lines.push(line) } })
    expect(report.streams.TELEMETRY).toBe("updated")
    const after = (await clients.jsm.streams.info(name)).config
    expect(after.max_age).toBe(raised)
    expect(after.description).toBe(current.config.description)
    expect(lines).toEqual([`stream ${name} differs from its specification: updated description; kept above the specification: max_age ${raised} (spec ${current.config.max_age})`])
    // Nothing differs but the kept limit: unchanged, and the line again (every start says what it kept).
    lines.length = 0
    expect((await provisionStreams(clients.jsm, names, { log: { info: (line: string) => lines.push(line) } })).streams.TELEMETRY).toBe("unchanged")
    expect(lines).toHaveLength(1)
  })

  it("keeps the payments audit log: purge and message delete are refused", async () => {
    const name = names.stream("PAYMENTS")
    // Any message will do: the server, not our code, must refuse to remove it.
    const ack = await clients.js.publish(names.subject.payment("kio_0000000000", "pay_0000000000"), "{}")
    await expect(clients.jsm.streams.purge(name)).rejects.toThrow()
    await expect(clients.jsm.streams.deleteMessage(name, ack.seq)).rejects.toThrow()
    expect((await clients.jsm.streams.info(name)).state.messages).toBe(1)
  })
})
