// Chaos, as `npm test` runs it (a short run: few kiosks, short outages) and as `npm run test:chaos` runs it
// (CHAOS=full: 200 kiosks, longer outages). See chaos.ts for the scenario and verify.ts for the books.
import { mkdir, writeFile } from "node:fs/promises"
import { describe, expect, it } from "vitest"
import { freshNamespace } from "../support/settings.ts"
import { type ChaosOptions, type ChaosSummary, runChaos } from "./chaos.ts"

const FULL = process.env.CHAOS === "full"
const SCALE: Omit<ChaosOptions, "namespace" | "log"> = FULL
  ? { kiosks: 200, ratePerSecond: 10, outageSeconds: 10, settleSeconds: 15, lostAnswers: 0.02 }
  : { kiosks: 12, ratePerSecond: 4, outageSeconds: 3, settleSeconds: 4, lostAnswers: 0.05 }

function summaryLines(s: ChaosSummary): string {
  return [
    `chaos (${FULL ? "full" : "short"}): ${s.kiosks} kiosks, faults: ${s.faults.map((f) => f.fault).join(", ")}`,
    `payments accepted by kiosks   ${s.accepted}`,
    `in the PAYMENTS stream        ${s.inStream}`,
    `in the read model             ${s.inReadModel}`,
    `duplicates                    ${s.duplicates}`,
    `losses                        ${s.losses}`,
    `second payments from retries  ${s.secondPayments}`,
    `read model vs fresh rebuild   ${s.rebuildDifferences} differing rows`,
    `notifications                 ${s.notificationsSent} sent of ${s.notificationsExpected} owed, ${s.notificationsSentTwice} sent twice`,
    `audit verify                  ${s.auditChecked} messages checked, ${s.auditFindings} findings`,
    `kiosk requests                ${JSON.stringify(s.traffic)}`,
    ...s.faults.map((f) => `  ${f.fault.padEnd(22)} probes ${JSON.stringify(f.probes)}, acknowledged during ${f.acknowledgedDuring}, served again after ${f.recoveredInMs} ms`),
  ].join("\n")
}

describe("chaos", () => {
  it(`${SCALE.kiosks} kiosks sell through SIGKILLed roles and restarted NATS and Postgres: nothing lost, nothing twice`, { timeout: FULL ? 1_800_000 : 600_000 }, async () => {
    const summary = await runChaos({ ...SCALE, namespace: freshNamespace(), log: (line) => console.log(`[chaos] ${line}`) })
    const text = summaryLines(summary)
    console.log(text)
    await mkdir("test-artifacts", { recursive: true })
    await writeFile(`test-artifacts/chaos-${FULL ? "full" : "short"}.json`, `${JSON.stringify(summary, null, 2)}\n`)

    expect(summary.unexpectedExits, text).toEqual([])
    expect(summary.drained, text).toBe(true)
    expect(summary.accepted, text).toBeGreaterThan(SCALE.ratePerSecond * SCALE.settleSeconds)
    expect(summary, text).toMatchObject({
      inStream: summary.accepted, inReadModel: summary.accepted, duplicates: 0, losses: 0, secondPayments: 0, rebuildDifferences: 0,
      notificationsExpected: summary.accepted, notificationsSent: summary.accepted, notificationsSentTwice: 0, auditFindings: 0,
    })
    // The probes' payments are in the log too, so it holds at least the fleet's.
    expect(summary.auditChecked, text).toBeGreaterThanOrEqual(summary.accepted)
    // Retries of payments the edge had recorded happened, and each was answered with the original payment.
    expect(summary.traffic.answersLost, text).toBeGreaterThan(0)
    expect(summary.traffic.replayed, text).toBeGreaterThanOrEqual(summary.traffic.answersLost)
    // An outage is a 503 with Retry-After, never a bug's 500.
    expect(summary.traffic.otherServerErrors, text).toBe(0)
    expect(summary.traffic.unavailableWithoutRetryAfter, text).toBe(0)
    for (const fault of summary.faults) expect(fault.badUnavailable, text).toBe(0)
    const outage = (name: string) => summary.faults.find((f) => f.fault === name)!
    // While NATS is down a payment is refused with 503; while Postgres is down a read is, and payments go on.
    expect(outage("restart nats-server").probes["503"], text).toBeGreaterThan(0)
    expect(outage("restart Postgres").probes["503"], text).toBeGreaterThan(0)
    for (const name of ["restart nats-server", "restart Postgres"]) {
      expect(Object.keys(outage(name).probes).filter((status) => status !== "503"), text).toEqual([])
    }
    expect(outage("restart Postgres").acknowledgedDuring, text).toBeGreaterThan(0)
  })
})
