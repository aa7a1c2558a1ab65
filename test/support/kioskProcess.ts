// One kiosk as a process of its own, for tests that SIGKILL it: the kiosk client library on a file journal.
//   node test/support/kioskProcess.ts <journal> <edgeUrl> [deviceToken]
// Reads one JSON command per stdin line — {"pay":{amount,currency}}, {"payMany":{count,currency}},
// {"rotate":token}, {"status":true}, {"drain":ms} — and answers with JSON lines on stdout. "accepted" is printed
// only after recordPayment resolved, i.e. once the sale is durable in the journal.
import { createInterface } from "node:readline"
import { openFileJournal, openKioskClient } from "../../src/kiosk-client/node.ts"

const [journal, baseUrl, deviceToken] = process.argv.slice(2)
const client = await openKioskClient({
  baseUrl: baseUrl!,
  store: await openFileJournal(journal!),
  ...(deviceToken ? { deviceToken } : {}),
  retry: { baseMs: 100, maxMs: 1_000 },
  requestTimeoutMs: 5_000,
})
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`)
say({ ready: true, status: client.status() })

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as {
    pay?: { amount: number; currency: string }
    payMany?: { count: number; currency: string }
    rotate?: string
    status?: true
    drain?: number
  }
  if (command.pay) say({ accepted: (await client.recordPayment(command.pay)).key })
  if (command.payMany) {
    for (let i = 1; i <= command.payMany.count; i++) {
      say({ accepted: (await client.recordPayment({ amount: 100 + i, currency: command.payMany.currency })).key })
    }
  }
  if (command.rotate) {
    await client.rotateCredential(command.rotate)
    say({ rotated: true })
  }
  if (command.status) say({ status: client.status() })
  if (command.drain) {
    await client.drained(command.drain).then(() => say({ drained: true, status: client.status() }), (e: Error) => say({ drainFailed: e.message }))
  }
}
await client.close()
