// Tamper evidence end to end: payments appended through the write side carry a MAC; the sealer seals PAYMENTS
// into AUDIT; `audit verify` passes on an untouched stream (older unsigned events listed apart), and names the
// sequence of a PaymentRecorded published straight to the subject without a MAC, and the seal a stream restored
// from an altered copy no longer matches.
import { headers } from "@nats-io/transport-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  makeCommit, paymentIdFor, provisionStreams, recordPayment, registerKiosk, systemActor,
} from "../commands/index.ts"
import { AUDIT_KEY_ID_HEADER, AUDIT_MAC_HEADER, auditKeys, naming, Nats, newId } from "../platform/index.ts"
import { commandRuntime } from "../../test/support/commandRuntime.ts"
import { runCli } from "../../test/support/cli.ts"
import { testEnv } from "../../test/support/settings.ts"
import { startSealer, type RunningSealer } from "../workers/sealer/index.ts"
import { readLog } from "./paymentLog.ts"
import { allSeals, lastSeal, lastVerification, type Seal } from "./seals.ts"
import { verifyPayments } from "./verify.ts"

const env = testEnv({ SEAL_EVERY_EVENTS: "4", SEAL_EVERY_SECONDS: "1" })
let w: Awaited<ReturnType<typeof commandRuntime>>
let kioskId: string
const context = { actor: systemActor("test"), correlationId: "cor_tamper" }

beforeAll(async () => {
  w = await commandRuntime(env)
  kioskId = (await w.run(registerKiosk({ code: "AUDIT-0001", name: "Audit kiosk", location: "" }, context))).kiosk.id
})
afterAll(async () => { await w.dispose() })

const names = () => naming(w.settings.namespace)
const nats = () => w.runtime.runPromise(Nats)

/** A commit published as the code did before payments were signed (or as anyone with NATS access can). */
async function publishUnsigned(n: number) {
  const { js } = await nats()
  const paymentId = paymentIdFor(kioskId, `raw-${n}`)
  const commitId = newId("cmt")
  const commit = makeCommit("PAYMENTS", [{ type: "PaymentRecorded", data: {
    paymentId, kioskId, amount: 999, currency: "EUR", occurredAt: new Date().toISOString(), operatorId: null, requestHash: "raw",
  } }], commitId, context)
  return (await js.publish(names().subject.payment(kioskId, paymentId), JSON.stringify(commit), { msgID: commitId })).seq
}

const pay = (n: number) => w.run(recordPayment({ kioskId, amount: 100 + n, currency: "EUR", idempotencyKey: `tamper-${n}` }, context))

async function sealedThrough(seq: number, timeoutMs = 30_000) {
  const { jsm } = await nats()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (((await lastSeal(jsm, names()))?.seal.toSeq ?? 0) >= seq) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`not sealed through ${seq} within ${timeoutMs} ms`)
}

const verify = async () => {
  const { js, jsm } = await nats()
  return verifyPayments(js, jsm, names(), auditKeys(w.settings))
}

describe("tamper evidence", () => {
  let sealer: RunningSealer
  let lastSigned = 0

  it("signs every payment where the write side appends it, over subject, msg id and body", async () => {
    await publishUnsigned(1)
    await publishUnsigned(2)
    for (let n = 0; n < 9; n++) lastSigned = (await pay(n)).seq
    const { js, jsm } = await nats()
    const read = []
    for await (const m of readLog(js, jsm, names().stream("PAYMENTS"))) read.push(m)
    expect(read.map((m) => m.mac === undefined)).toEqual([true, true, ...Array(9).fill(false)])
    expect(read.slice(2).every((m) => m.keyId === "k1")).toBe(true)
  })

  it("seals PAYMENTS in chained, signed ranges; verify finds nothing and lists the older events apart", async () => {
    sealer = await startSealer(w.runtime)
    await sealedThrough(lastSigned)
    const { js, jsm } = await nats()
    const seals = []
    for await (const s of allSeals(js, jsm, names())) seals.push(s.seal)
    // Every 4 messages, or once a second when fewer arrived: contiguous ranges, each chained to the one before.
    expect(seals[0]).toMatchObject({ sealNo: 1, fromSeq: 1, unsigned: 2, signedSince: 3 })
    expect(seals.at(-1)!.toSeq).toBe(11)
    for (const [i, s] of seals.entries()) {
      expect(s.count).toBeLessThanOrEqual(4)
      expect(s.count).toBe(s.toSeq - s.fromSeq + 1)
      if (i > 0) expect([s.sealNo, s.fromSeq, s.previousDigest]).toEqual([i + 1, seals[i - 1]!.toSeq + 1, seals[i - 1]!.digest])
    }
    const report = await verify()
    expect(report.findings).toEqual([])
    expect(report.legacy).toEqual([{ fromSeq: 1, toSeq: 2, count: 2, sealNo: 1 }])
    expect(report.lastSealed).toMatchObject({ sealNo: seals.length, toSeq: 11 })
  })

  it("names a PaymentRecorded published straight to the payments subject without a MAC (CLI exit 1)", async () => {
    const forged = await publishUnsigned(3)
    await pay(100)
    await sealedThrough(forged + 1)
    const cli = await runCli(["audit", "verify"], env)
    expect(cli.code, cli.stderr).toBe(1)
    expect(cli.stdout).toContain(`FAIL seq ${forged} (${names().namespace}.payments.${kioskId}.`)
    expect(cli.stdout).toContain("no MAC — not written by the edge")
    expect(cli.stdout).toContain("seq 1–2: unsigned (before seal 1), 2 messages")
    expect(cli.stdout).toMatch(/last sealed point: seal \d+ at seq 13/)
    const { jsm } = await nats()
    expect((await lastVerification(jsm, names()))?.result).toMatchObject({ lastSeq: 13, checked: 13, findingCount: 1 })
  })

  it("names the seal that a stream restored from an altered copy no longer matches, and the message edited", async () => {
    await sealer.stop()
    const { js, jsm } = await nats()
    const stream = names().stream("PAYMENTS")
    const copy = []
    for await (const m of readLog(js, jsm, stream)) copy.push(m)
    const seals: Array<Seal> = []
    for await (const s of allSeals(js, jsm, names())) seals.push(s.seal)
    const sealOf = (seq: number) => seals.find((s) => s.fromSeq <= seq && seq <= s.toSeq)!
    // The altered copy: two signed payments swap places (each MAC still holds), and one amount is edited.
    ;[copy[5], copy[6]] = [copy[6]!, copy[5]!]
    const edited = JSON.parse(new TextDecoder().decode(copy[9]!.data))
    edited.events[0].data.amount += 1
    copy[9] = { ...copy[9]!, data: new TextEncoder().encode(JSON.stringify(edited)) }
    await jsm.streams.delete(stream)
    await provisionStreams(jsm, names())
    for (const m of copy) {
      const h = headers()
      if (m.msgId) h.set("Nats-Msg-Id", m.msgId)
      if (m.mac) { h.set(AUDIT_MAC_HEADER, m.mac); h.set(AUDIT_KEY_ID_HEADER, m.keyId!) }
      await js.publish(m.subject, m.data, { headers: h })
    }
    const report = await verify()
    const mismatch = (seq: number) => {
      const { sealNo, fromSeq, toSeq } = sealOf(seq)
      return expect.objectContaining({ kind: "seal-mismatch", sealNo, fromSeq, toSeq })
    }
    expect(report.findings).toContainEqual(mismatch(6))
    expect(report.findings).toContainEqual(mismatch(7))
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "mac-failed", seq: 10 }))
    expect(report.findings).toContainEqual(mismatch(10))
    // Ranges the copy left alone still match their seals.
    const touched = new Set([6, 7, 10].map((seq) => sealOf(seq).sealNo))
    const mismatched = report.findings.flatMap((f) => (f.kind === "seal-mismatch" ? [f.sealNo] : []))
    expect(new Set(mismatched)).toEqual(touched)
  })

  it("refuses a seal made with another key and a payment MAC under an unknown key id", async () => {
    const other = auditKeys({ ...w.settings, auditKeyId: "k9" })
    const { js, jsm } = await nats()
    const report = await verifyPayments(js, jsm, names(), other)
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "seal-invalid", sealNo: 1 }))
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "mac-failed", seq: 3, detail: "key id k1 is not among the audit keys" }))
  })
})
