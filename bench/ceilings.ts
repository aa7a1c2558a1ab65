// This machine's raw ceilings, measured in the same run as the scenarios: what JetStream, Postgres, argon2id and
// a bare Fastify do here with nothing of ours on top. The ingest ceiling (the naive route) is measured by each
// ingest scenario itself, alternating with it.
import { randomBytes } from "node:crypto"
import { availableParallelism } from "node:os"
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import pg from "pg"
import * as argon2 from "@node-rs/argon2"
import { ARGON2_OPTIONS } from "../src/commands/index.ts"
import { runLoad } from "./load/runLoad.ts"
import type { Row } from "./scenario.ts"
import { type ClosedLoopResult, closedLoop, percentiles } from "./support/measure.ts"
import { startNaiveRoute } from "./targets/naiveRoute.ts"

export interface CeilingContext {
  readonly namespace: string
  readonly natsUrl: string
  readonly databaseUrl: string
  readonly durationMs: number
  /** In-flight publishes / pooled connections / HTTP connections. */
  readonly connections: number
  readonly signal: AbortSignal
}

export const CEILING = {
  jetstreamPublish: "JetStream publish (acked)",
  postgresInsert: "Postgres 1-row insert tx",
  argon2Verify: "argon2id verify (login's hash)",
  httpHello: "Fastify hello-world (autocannon)",
} as const

const rowOf = (name: string, unit: string, m: ClosedLoopResult, notes: Record<string, string | number>): Row => ({
  name, unit, perSecond: m.perSecond, ...(m.latencyMs ? { latencyMs: m.latencyMs } : {}), notes,
  ...(m.ops === 0 ? { error: m.firstError ?? "no operation completed" } : {}),
})

// About the size of one recorded payment's commit (envelope + one event).
const payload = () => new TextEncoder().encode(JSON.stringify({
  id: `cmt_${randomBytes(12).toString("hex")}`, time: new Date().toISOString(),
  actor: { kind: "kiosk", id: "ksk_bench" }, correlationId: randomBytes(12).toString("hex"),
  events: [{ type: "PaymentRecorded", version: 1, data: { paymentId: "pay_x", kioskId: "ksk_bench", amount: 1250, currency: "EUR" } }],
}))

/** Acknowledged publishes to a throwaway file stream, each with a Nats-Msg-Id as our appends carry. */
async function jetstreamPublish(ctx: CeilingContext): Promise<Row> {
  const nc = await connect({ servers: ctx.natsUrl, name: `admin-kiosk-bench:${ctx.namespace}` })
  const jsm = await jetstreamManager(nc)
  // A bench-only stream; the namespace prefix lets the run's cleanup find it.
  const stream = `${ctx.namespace.toUpperCase()}_BENCH`
  await jsm.streams.add({ name: stream, subjects: [`${ctx.namespace}.bench.>`], storage: StorageType.File })
  try {
    const js = jetstream(nc)
    const body = payload()
    const m = await closedLoop({
      concurrency: ctx.connections, durationMs: ctx.durationMs, signal: ctx.signal,
      op: (n) => js.publish(`${ctx.namespace}.bench.${n % 1024}`, body, { msgID: `${ctx.namespace}-${n}` }),
    })
    return rowOf(CEILING.jetstreamPublish, "acks", m, { inFlight: ctx.connections, where: "bench process (nats.js)" })
  } finally {
    await jsm.streams.delete(stream).catch(() => false)
    await nc.close()
  }
}

/** Single-row INSERTs, each its own committed transaction (a durable commit each), through a pg Pool. */
async function postgresInsert(ctx: CeilingContext): Promise<Row> {
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: ctx.connections })
  const schema = `"${ctx.namespace}"`
  await pool.query(`create schema if not exists ${schema}`)
  await pool.query(`create table ${schema}.bench_insert (id text primary key, body jsonb not null, at timestamptz not null default now())`)
  try {
    const body = new TextDecoder().decode(payload())
    const m = await closedLoop({
      concurrency: ctx.connections, durationMs: ctx.durationMs, signal: ctx.signal,
      op: (n) => pool.query(`insert into ${schema}.bench_insert (id, body) values ($1, $2)`, [`r${n}`, body]),
    })
    return rowOf(CEILING.postgresInsert, "tx", m, { connections: ctx.connections, where: "bench process (pg)" })
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`).catch(() => undefined)
    await pool.end()
  }
}

/**
 * Password checks with the login's own argon2id parameters, as many at once as the machine has cores: the library
 * itself on libuv's pool, not our verifyPassword, whose threads run at low priority (src/commands/user/password.ts).
 */
async function argon2Verify(ctx: CeilingContext): Promise<Row> {
  const password = "bench-operator-password"
  const hash = await argon2.hash(password, ARGON2_OPTIONS)
  const cores = availableParallelism()
  const m = await closedLoop({
    concurrency: cores, durationMs: ctx.durationMs, signal: ctx.signal,
    op: async () => {
      if (!(await argon2.verify(hash, password))) throw new Error("argon2 verify failed")
    },
  })
  return rowOf(CEILING.argon2Verify, "verifies", m, { inFlight: cores, perCore: Math.round(m.perSecond / cores) })
}

/** GET /hello on the naive route's process, driven by autocannon from its own process. */
async function httpHello(ctx: CeilingContext): Promise<Row> {
  const server = await startNaiveRoute({ natsUrl: ctx.natsUrl, namespace: `${ctx.namespace}_h` })
  try {
    const r = await runLoad({
      origin: server.origin, driver: "autocannon", connections: ctx.connections, durationSeconds: ctx.durationMs / 1000,
      request: { kind: "get", path: "/hello" }, tag: "hello",
    }, ctx.signal)
    return {
      name: CEILING.httpHello, unit: "req", perSecond: r.ok / r.seconds, latencyMs: percentiles(r.latencyMs),
      notes: { connections: ctx.connections },
      ...(r.ok === 0 ? { error: r.firstError ?? "no answer" } : {}),
    }
  } finally {
    await server.stop()
  }
}

export const ceilingRuns: ReadonlyArray<(ctx: CeilingContext) => Promise<Row>> = [jetstreamPublish, postgresInsert, argon2Verify, httpHello]
