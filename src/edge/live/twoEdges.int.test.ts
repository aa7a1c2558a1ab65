// Several edges side by side with nothing shared but NATS: an edge in this process and another in a child
// process both forward the same event (same seq, same id), check ownership on their own, and a client can drop
// from one edge and resume on the other.
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, expect, it } from "vitest"
import { commandRuntime } from "../../../test/support/commandRuntime.ts"
import { testEnv } from "../../../test/support/settings.ts"
import {
  pairKioskFromItsLabel, type CommandContext, kioskIdFor, recordPayment, registerKiosk, registerUser, userIdFor,
} from "../../commands/index.ts"
import { LiveClient } from "../../../test/support/live/client.ts"
import { type LiveEdge, startLiveEdge } from "../../../test/support/live/edge.ts"
import { type EdgeChild, spawnEdge } from "../../../test/support/live/spawnEdge.ts"

const system: CommandContext = { actor: { kind: "system", name: "two-edges-test" }, correlationId: "two-edges-test" }
const secret = "two-edges-secret"
const code = "KSK-TWO-EDGES"
const kioskId = kioskIdFor(code)
const carol = userIdFor("carol")

let t: Awaited<ReturnType<typeof commandRuntime>>
let here: LiveEdge
let there: EdgeChild
const clients: Array<LiveClient> = []

beforeAll(async () => {
  t = await commandRuntime()
  here = await startLiveEdge({ store: t.store, secret })
  there = await spawnEdge({ env: testEnv({ APP_NAMESPACE: t.settings.namespace }), secret })
  await t.run(registerUser({ username: "carol", password: "correct horse battery", role: "operator" }, system))
  await t.run(registerKiosk({ name: "Twin", location: "Hall T", code }, system))
  await t.run(pairKioskFromItsLabel(code, carol, system))
})
afterAll(async () => {
  for (const client of clients) client.terminate()
  await there?.stop()
  await here?.close()
  await t?.dispose()
})

const connect = async (url: string, user: { id: string; role: string }) => {
  const client = await LiveClient.connect(url, here.token(user))
  clients.push(client)
  return client
}
const pay = () => t.run(recordPayment({ kioskId, amount: 700, currency: "EUR", idempotencyKey: randomBytes(8).toString("hex") }, system))

it("an edge in another process forwards the same event as this one", async () => {
  expect(there.child.pid).not.toBe(process.pid)
  const admin = { id: "usr_twoedgesadmin01", role: "admin" }
  const a = await connect(here.url, admin)
  const b = await connect(there.url, admin)
  const operatorThere = await connect(there.url, { id: carol, role: "operator" })
  const strangerThere = await connect(there.url, { id: "usr_someoneelse0001", role: "operator" })
  await a.subscribe("payments")
  await b.subscribe("payments")
  await operatorThere.subscribe(`kiosk:${kioskId}`)
  expect(await strangerThere.subscribe(`kiosk:${kioskId}`)).toMatchObject({ type: "error", code: "forbidden" })

  const paid = await pay()
  const [fromHere, fromThere, toOperator] = await Promise.all([
    a.next((f) => f.type === "event"),
    b.next((f) => f.type === "event"),
    operatorThere.next((f) => f.type === "event"),
  ])
  expect(fromHere.seq).toBe(paid.seq)
  expect(fromThere).toEqual(fromHere)
  expect(toOperator).toEqual({ ...fromHere, topic: `kiosk:${kioskId}` })
})

it("a client that drops from one edge resumes on the other with nothing missing or repeated", async () => {
  const admin = { id: "usr_twoedgesadmin01", role: "admin" }
  const start = await t.run(t.store.lastSequence("PAYMENTS"))
  const first = await connect(here.url, admin)
  await first.subscribe("payments", start)
  const early = [await pay(), await pay(), await pay()]
  await first.until(() => (first.lastSeq("payments") === early[2]!.seq ? true : undefined))
  first.terminate()
  const late = [await pay(), await pay()]

  const second = await connect(there.url, admin)
  await second.subscribe("payments", first.lastSeq("payments"))
  const live = await pay()
  await second.until(() => (second.lastSeq("payments") === live.seq ? true : undefined))
  const seen = [...first.events("payments"), ...second.events("payments")].map((f) => f.seq)
  expect(seen).toEqual([...early, ...late, live].map((p) => p.seq))
})
