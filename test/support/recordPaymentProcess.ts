// A whole process that records one payment and prints the answer: the idempotency test runs it twice.
import { Effect, ManagedRuntime } from "effect"
import { recordPayment, writeSideLayer } from "../../src/commands/index.ts"
import { readSettings } from "../../src/platform/index.ts"

const [kioskId, amount, currency, idempotencyKey] = process.argv.slice(2)
const settings = await Effect.runPromise(readSettings())
const runtime = ManagedRuntime.make(writeSideLayer(settings, "restart-test"))
const answer = await runtime.runPromise(recordPayment(
  { kioskId: kioskId!, amount: Number(amount), currency: currency!, idempotencyKey: idempotencyKey! },
  { actor: { kind: "system", name: "restart-test" }, correlationId: "restart-test" },
))
process.stdout.write(JSON.stringify(answer))
await runtime.dispose()
