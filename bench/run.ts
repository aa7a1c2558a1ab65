// `npm run bench`: measures this machine's ceilings (JetStream acks/s, Postgres insert tx/s, Fastify hello req/s),
// then every registered scenario, and prints each as an absolute rate and as a ratio to its ceiling.
// Loopback only, bounded in time, under a fresh namespace that is dropped at the end.
import { randomBytes } from "node:crypto"
import { mkdir, writeFile } from "node:fs/promises"
import { cpus, totalmem } from "node:os"
import { dirname } from "node:path"
import { parseArgs } from "node:util"
import { connect } from "@nats-io/transport-node"
import { Effect } from "effect"
import pg from "pg"
import { readSettings } from "../src/platform/config.ts"
import { dropRunState } from "../test/support/cleanup.ts"
import { ceilingRuns } from "./ceilings.ts"
import { CEILINGS, type CeilingKey, type Ceilings, type Measurement } from "./scenario.ts"
import { loadScenarios } from "./scenarios/index.ts"
import { makeProgress } from "./support/progress.ts"

const USAGE = `Usage: npm run bench -- [--duration S] [--connections N] [--only TEXT] [--out FILE]

  --duration S      seconds measured per ceiling and scenario (default 3)
  --connections N   in-flight operations / HTTP connections (default 32)
  --only TEXT       run only the scenarios whose name contains TEXT (ceilings always run)
  --out FILE        JSON results (default bench/results/latest.json)

NATS_URL and DATABASE_URL (or the local defaults) must point at loopback.`

interface Row {
  readonly name: string
  readonly ceiling?: CeilingKey
  readonly result?: Measurement
  readonly ratio?: number
  readonly error?: string
}

// Setup and teardown on top of the measured time; past it a phase is abandoned and reported as timed out.
const SETUP_ALLOWANCE_MS = 60_000

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "3" },
      connections: { type: "string", default: "32" },
      only: { type: "string" },
      out: { type: "string", default: "bench/results/latest.json" },
      help: { type: "boolean", short: "h", default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const durationMs = Math.round(positive("--duration", values.duration) * 1000)
  const connections = Math.round(positive("--connections", values.connections))
  const settings = await Effect.runPromise(readSettings(process.env))
  for (const [name, url] of [["NATS_URL", settings.natsUrl], ["DATABASE_URL", settings.databaseUrl]] as const) {
    if (!isLoopback(url)) throw new Error(`${name} must point at loopback for the bench (got a non-local host)`)
  }
  const { natsUrl, databaseUrl } = settings
  const runPrefix = `bench_${randomBytes(3).toString("hex")}`
  const progress = makeProgress()
  const machine = await describeMachine(natsUrl, databaseUrl)
  const startedAt = new Date()
  process.stderr.write(`bench ${runPrefix}: ${durationMs / 1000} s per phase, ${connections} connections; ${machine.summary}\n`)

  const ceilingRows: Array<Row> = []
  const scenarioRows: Array<Row> = []
  try {
    const ceilings: Partial<Record<CeilingKey, Measurement>> = {}
    for (const key of Object.keys(ceilingRuns) as Array<CeilingKey>) {
      const phase = progress.phase(CEILINGS[key], durationMs)
      const row = await bounded(CEILINGS[key], durationMs, (signal) =>
        ceilingRuns[key]({ namespace: `${runPrefix}_c`, natsUrl, databaseUrl, durationMs, connections, signal, tick: phase.tick }))
      if (row.result) ceilings[key] = row.result
      phase.done(row.result ? brief(row.result) : `FAILED: ${row.error}`)
      ceilingRows.push(row)
    }
    if (Object.keys(ceilings).length < Object.keys(CEILINGS).length) throw new Error("a ceiling could not be measured (above)")

    const scenarios = (await loadScenarios()).filter((s) => !values.only || s.name.includes(values.only))
    if (scenarios.length === 0) process.stderr.write("no scenarios registered (bench/scenarios/index.ts)\n")
    for (const [i, scenario] of scenarios.entries()) {
      const namespace = `${runPrefix}_s${i}`
      const phase = progress.phase(scenario.name, durationMs)
      const row = await bounded(scenario.name, durationMs, (signal) => scenario.run({
        namespace,
        env: { NODE_ENV: "test", NATS_URL: natsUrl, DATABASE_URL: databaseUrl, APP_NAMESPACE: namespace, LOG_LEVEL: "warn" },
        natsUrl, databaseUrl, durationMs, connections, signal,
        ceilings: ceilings as Ceilings,
        tick: phase.tick,
        note: phase.note,
      }))
      const ceiling = ceilings[scenario.ceiling]!
      const withRatio: Row = row.result ? { ...row, ceiling: scenario.ceiling, ratio: row.result.perSecond / ceiling.perSecond } : { ...row, ceiling: scenario.ceiling }
      phase.done(row.result ? `${brief(row.result)}  = ${ratio(withRatio.ratio!)} ${CEILINGS[scenario.ceiling]}` : `FAILED: ${row.error}`)
      scenarioRows.push(withRatio)
    }
  } finally {
    await dropRunState({ natsUrl, databaseUrl, runPrefix }).catch((e: unknown) =>
      process.stderr.write(`cleanup of ${runPrefix} failed: ${String(e)}\n`))
  }

  process.stdout.write(table(machine.summary, ceilingRows, scenarioRows))
  const out = values.out
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, `${JSON.stringify({
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    namespace: runPrefix,
    durationMs,
    connections,
    machine: machine.facts,
    ceilings: Object.fromEntries(ceilingRows.map((r, i) => [Object.keys(ceilingRuns)[i]!, { name: r.name, ...r.result, error: r.error }])),
    scenarios: scenarioRows.map((r) => ({ name: r.name, ceiling: r.ceiling, ratio: r.ratio, ...r.result, error: r.error })),
  }, null, 2)}\n`)
  process.stderr.write(`results: ${out}\n`)
  return [...ceilingRows, ...scenarioRows].some((r) => r.error) ? 1 : 0
}

/** Runs one phase with a deadline: its signal aborts at the measured time plus setup allowance, then it is abandoned. */
async function bounded(name: string, durationMs: number, run: (signal: AbortSignal) => Promise<Measurement>): Promise<Row> {
  const limitMs = durationMs + SETUP_ALLOWANCE_MS
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      // Give the phase a moment to stop and clean up after the abort, then give up on it.
      setTimeout(() => reject(new Error(`timed out after ${limitMs / 1000} s`)), 5_000).unref()
    }, limitMs)
  })
  try {
    const result = await Promise.race([run(controller.signal), late])
    if (result.ops === 0) return { name, result, error: result.firstError ?? "no operation completed" }
    return { name, result }
  } catch (error) {
    return { name, error: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
  }
}

async function describeMachine(natsUrl: string, databaseUrl: string) {
  const nc = await connect({ servers: natsUrl })
  const natsVersion = nc.info?.version ?? "?"
  await nc.close()
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query<{ server_version: string }>("show server_version")
  await client.end()
  const cpuList = cpus()
  const facts = {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "?",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    natsServer: natsVersion,
    postgres: rows[0]?.server_version.split(" ")[0] ?? "?",
  }
  const summary = `${facts.cpus} CPU, ${facts.memoryGiB} GiB, Node ${facts.node}, nats-server ${facts.natsServer}, PostgreSQL ${facts.postgres}`
  return { facts, summary }
}

function table(summary: string, ceilings: ReadonlyArray<Row>, scenarios: ReadonlyArray<Row>): string {
  const width = Math.max(30, ...[...ceilings, ...scenarios].map((r) => r.name.length + 2))
  const line = (r: Row, tail = "") =>
    `  ${r.name.padEnd(width)}${r.result ? `${rate(r.result).padStart(18)}  ${lat(r.result)}${tail}` : `FAILED: ${r.error}`}`
  const out = ["", `Ceilings — ${summary}`, ...ceilings.map((r) => line(r, r.result?.concurrency ? `  (${r.result.concurrency} in flight)` : ""))]
  out.push("", "Scenarios", ...(scenarios.length === 0 ? ["  (none registered)"] : scenarios.map((r) =>
    line(r, r.ratio !== undefined ? `  ${ratio(r.ratio)} ${CEILINGS[r.ceiling!]}` : ""))))
  return `${out.join("\n")}\n\n`
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
const rate = (m: Measurement) => `${fmt(m.perSecond)} ${m.unit}/s`
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))
const lat = (m: Measurement) => (m.latencyMs ? `p50 ${ms(m.latencyMs.p50).padStart(6)} ms  p99 ${ms(m.latencyMs.p99).padStart(6)} ms` : "".padEnd(30))
const ratio = (r: number) => `${r.toFixed(r < 0.1 ? 3 : 2)} ×`
const brief = (m: Measurement) =>
  `${rate(m)}${m.latencyMs ? `, p50 ${ms(m.latencyMs.p50)} ms, p99 ${ms(m.latencyMs.p99)} ms` : ""}${m.errors ? `, ${m.errors} errors` : ""}`

function positive(flag: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number (got "${raw}")`)
  return n
}

function isLoopback(url: string): boolean {
  return url.split(",").every((u) => {
    const host = new URL(u.trim()).hostname
    return host === "" || host === "localhost" || host === "[::1]" || host === "::1" || host.startsWith("127.")
  })
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
