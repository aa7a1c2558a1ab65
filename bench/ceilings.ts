// This machine's raw ceilings, measured in the same run as the scenarios so that each scenario reads as a ratio:
// what JetStream, Postgres and Fastify do here with nothing of ours on top.
import { randomBytes } from "node:crypto"
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import pg from "pg"
import type { CeilingKey } from "./scenario.ts"
import { startHelloServer } from "./support/helloServer.ts"
import { httpLoad } from "./support/httpLoad.ts"
import { closedLoop, type Measurement } from "./support/measure.ts"

export interface CeilingContext {
  readonly namespace: string
  readonly natsUrl: string
  readonly databaseUrl: string
  readonly durationMs: number
  /** In-flight publishes / pooled connections / HTTP connections. */
  readonly connections: number
  readonly signal: AbortSignal
  readonly tick: (elapsedMs: number) => void
}

// About the size of one recorded payment's commit (envelope + one event).
const payload = () => new TextEncoder().encode(JSON.stringify({
  id: `cmt_${randomBytes(12).toString("hex")}`, time: new Date().toISOString(),
  actor: { kind: "kiosk", id: "ksk_bench" }, correlationId: randomBytes(12).toString("hex"),
  events: [{ type: "PaymentRecorded", version: 1, data: { paymentId: "pay_x", kioskId: "ksk_bench", amount: 1250, currency: "EUR" } }],
}))

/** Acknowledged publishes to a throwaway file stream, each with a Nats-Msg-Id as our appends carry. */
async function jetstreamPublish(ctx: CeilingContext): Promise<Measurement> {
  const nc = await connect({ servers: ctx.natsUrl, name: `admin-kiosk-bench:${ctx.namespace}` })
  const jsm = await jetstreamManager(nc)
  // A bench-only stream, outside naming.ts's domain streams; the namespace prefix lets the run's cleanup find it.
  const stream = `${ctx.namespace.toUpperCase()}_BENCH`
  await jsm.streams.add({ name: stream, subjects: [`${ctx.namespace}.bench.>`], storage: StorageType.File, max_msgs: 2_000_000 })
  try {
    const js = jetstream(nc)
    const body = payload()
    return await closedLoop({
      unit: "acks",
      concurrency: ctx.connections,
      durationMs: ctx.durationMs,
      signal: ctx.signal,
      onTick: ctx.tick,
      op: (n) => js.publish(`${ctx.namespace}.bench.${n % 1024}`, body, { msgID: `${ctx.namespace}-${n}` }),
    })
  } finally {
    await jsm.streams.delete(stream).catch(() => false)
    await nc.close()
  }
}

/** Single-row INSERTs, each its own committed transaction (a durable commit each), through a pg Pool. */
async function postgresInsert(ctx: CeilingContext): Promise<Measurement> {
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: ctx.connections })
  const schema = `"${ctx.namespace}"`
  await pool.query(`create schema if not exists ${schema}`)
  await pool.query(`create table ${schema}.bench_insert (id text primary key, body jsonb not null, at timestamptz not null default now())`)
  try {
    const body = new TextDecoder().decode(payload())
    return await closedLoop({
      unit: "tx",
      concurrency: ctx.connections,
      durationMs: ctx.durationMs,
      signal: ctx.signal,
      onTick: ctx.tick,
      op: (n) => pool.query(`insert into ${schema}.bench_insert (id, body) values ($1, $2)`, [`r${n}`, body]),
    })
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`).catch(() => undefined)
    await pool.end()
  }
}

/** GET /hello against Fastify in a worker thread, with the load generator the HTTP scenarios use. */
async function httpHello(ctx: CeilingContext): Promise<Measurement> {
  const server = await startHelloServer()
  try {
    return await httpLoad({
      origin: server.origin,
      request: () => ({ path: "/hello" }),
      connections: ctx.connections,
      durationMs: ctx.durationMs,
      signal: ctx.signal,
      onTick: ctx.tick,
    })
  } finally {
    await server.close()
  }
}

export const ceilingRuns: Readonly<Record<CeilingKey, (ctx: CeilingContext) => Promise<Measurement>>> = {
  jetstreamPublish,
  postgresInsert,
  httpHello,
}
