// The naive route, the ingest ceiling: a bare Fastify process whose POST /payments validates a small JSON body
// with a schema and answers once one JetStream publish is acknowledged. No auth, no idempotency, no decision: the
// least any ingest route over HTTP and JetStream must pay on this machine. GET /hello is the bare HTTP ceiling.
// Run as a process: NATS_URL, NAIVE_STREAM (created if missing), NAIVE_SUBJECT_PREFIX, PORT; SIGTERM stops it.
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import Fastify from "fastify"
import { answers, freePort, type ServerProcess, startServer } from "./serverProcess.ts"

const SCRIPT = new URL(import.meta.url).pathname

const PaymentBody = {
  type: "object",
  required: ["kiosk_id", "amount", "currency"],
  additionalProperties: false,
  properties: {
    kiosk_id: { type: "string", pattern: "^ksk_[0-9a-z]{26}$" },
    amount: { type: "integer", minimum: 1, maximum: 100_000_000 },
    currency: { type: "string", pattern: "^[A-Z]{3}$" },
  },
} as const

export async function startNaiveRoute(options: { natsUrl: string; namespace: string; logFile?: string }): Promise<ServerProcess> {
  const port = await freePort()
  return startServer({
    label: "naive route",
    args: [SCRIPT],
    env: {
      NATS_URL: options.natsUrl,
      NAIVE_STREAM: `${options.namespace.toUpperCase()}_NAIVE`,
      NAIVE_SUBJECT_PREFIX: `${options.namespace}.naive`,
      PORT: String(port),
    },
    port,
    ready: answers("/hello"),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  })
}

async function serve() {
  const stream = process.env.NAIVE_STREAM!
  const prefix = process.env.NAIVE_SUBJECT_PREFIX!
  const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "bench-naive-route" })
  const jsm = await jetstreamManager(nc)
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], storage: StorageType.File })
  const js = jetstream(nc)

  const app = Fastify({ logger: false })
  app.get("/hello", async () => ({ hello: "world" }))
  app.post<{ Body: { kiosk_id: string; amount: number; currency: string } }>("/payments", {
    schema: { body: PaymentBody },
  }, async (request, reply) => {
    const ack = await js.publish(`${prefix}.${request.body.kiosk_id}`, JSON.stringify(request.body))
    return reply.code(201).send({ seq: ack.seq })
  })
  await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT) })
  const stop = async () => {
    await app.close()
    await nc.drain()
    process.exit(0)
  }
  process.once("SIGTERM", () => void stop())
}

if (import.meta.main) await serve()
