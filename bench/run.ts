// `npm run bench`: this machine's ceilings, then every registered scenario, each as rates, p50/p99/p99.9 latencies,
// the ratio to its ceiling, the issue's target and the correctness checks. HTTP load comes from a separate
// load-generator process (autocannon); every server under test is a process of its own.
// Loopback only, each phase bounded in time, under a fresh namespace that is dropped at the end.
import { randomBytes } from "node:crypto"
import { mkdir, writeFile } from "node:fs/promises"
import { availableParallelism, cpus, loadavg, totalmem } from "node:os"
import { dirname } from "node:path"
import { parseArgs } from "node:util"
import { connect } from "@nats-io/transport-node"
import { Effect } from "effect"
import pg from "pg"
import { readSettings } from "../src/platform/index.ts"
import { dropRunState } from "../test/support/cleanup.ts"
import { ceilingRuns } from "./ceilings.ts"
import { failed, table } from "./report.ts"
import type { Row } from "./scenario.ts"
import { loadScenarios } from "./scenarios/index.ts"

const USAGE = `Usage: npm run bench -- [options]

  --runs N          alternating runs per ingest scenario (naive route, ours, naive, ours…) (default 3)
  --duration S      seconds per run and per ceiling (default 10)
  --connections N   HTTP connections of the throughput runs (default 32)
  --kiosks N        kiosks (device tokens) the payment load spreads over (default 1000)
  --seed N          payments already in PAYMENTS for scenario (e) (default 1000000)
  --paced-rate N    payments/s of (f)'s paced runs (default half of (a)'s rate, or 100 without (a)): the same
                    load in runs that compare two builds
  --log-level L     LOG_LEVEL of the servers under test (default info, what serve runs with)
  --only TEXT[,…]   run only the scenarios whose name contains one of the texts (the ceilings always run)
  --out FILE        JSON results (default bench/results/latest.json)

NATS_URL and DATABASE_URL (or the local defaults) must point at loopback.`

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "32" },
      kiosks: { type: "string", default: "1000" },
      seed: { type: "string", default: "1000000" },
      "paced-rate": { type: "string" },
      "log-level": { type: "string", default: "info" },
      only: { type: "string" },
      out: { type: "string", default: "bench/results/latest.json" },
      help: { type: "boolean", short: "h", default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const runs = Math.round(positive("--runs", values.runs))
  const durationMs = Math.round(positive("--duration", values.duration) * 1000)
  const connections = Math.round(positive("--connections", values.connections))
  const kiosks = Math.round(positive("--kiosks", values.kiosks))
  const seedPayments = Math.round(positive("--seed", values.seed))
  const pacedRate = values["paced-rate"] === undefined ? undefined : Math.round(positive("--paced-rate", values["paced-rate"]))
  const base = await Effect.runPromise(readSettings(process.env))
  for (const [name, url] of [["NATS_URL", base.natsUrl], ["DATABASE_URL", base.databaseUrl]] as const) {
    if (!isLoopback(url)) throw new Error(`${name} must point at loopback for the bench (got a non-local host)`)
  }
  const { natsUrl, databaseUrl } = base
  const runPrefix = `bench_${randomBytes(3).toString("hex")}`
  const machine = await describeMachine(natsUrl, databaseUrl)
  const startedAt = new Date()
  const loadAtStart = loadavg()
  const log = (line: string) => process.stderr.write(`${line}\n`)
  log(`bench ${runPrefix}: ${runs} × ${durationMs / 1000} s runs, ${connections} connections, ${kiosks} kiosks; ${machine.summary}; ` +
    `load average ${loadAtStart.map((l) => l.toFixed(2)).join(" ")}`)

  const ceilings: Array<Row> = []
  const scenarioRows: Array<Row> = []
  const phases: Array<{ name: string; loadAverage1m: number; seconds: number }> = []
  const earlier = (name: string) => [...ceilings, ...scenarioRows].find((r) => r.name === name)
  const phase = async <A>(name: string, budgetMs: number, body: (signal: AbortSignal) => Promise<A>): Promise<A> => {
    log(`• ${name} …`)
    const started = Date.now()
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), budgetMs)
    try {
      return await body(controller.signal)
    } finally {
      clearTimeout(timer)
      phases.push({ name, loadAverage1m: Number(loadavg()[0]!.toFixed(2)), seconds: Math.round((Date.now() - started) / 1000) })
    }
  }
  try {
    for (const [i, measure] of ceilingRuns.entries()) {
      const row = await phase(`ceiling ${i + 1}/${ceilingRuns.length}`, durationMs + 60_000, (signal) =>
        measure({ namespace: `${runPrefix}_c${i}`, natsUrl, databaseUrl, durationMs, connections, signal })
          .catch((e: unknown): Row => ({ name: `ceiling ${i + 1}`, unit: "", error: message(e) })))
      log(`  ${row.name}: ${brief(row)}`)
      ceilings.push(row)
    }

    const only = values.only?.split(",").map((t) => t.trim()).filter(Boolean)
    const scenarios = (await loadScenarios()).filter((s) => !only || only.some((t) => s.name.includes(t)))
    for (const [i, scenario] of scenarios.entries()) {
      const namespace = `${runPrefix}_s${i}`
      const env = {
        NODE_ENV: "test", NATS_URL: natsUrl, DATABASE_URL: databaseUrl, APP_NAMESPACE: namespace,
        LOG_LEVEL: values["log-level"], JWT_SECRET: randomBytes(32).toString("hex"), DEVICE_TOKEN_KEY: randomBytes(32).toString("hex"),
        AUDIT_KEY: randomBytes(32).toString("hex"),
      }
      // The bench's own process logs only warnings; the servers under test log at --log-level.
      const settings = await Effect.runPromise(readSettings({ ...env, LOG_LEVEL: "warn" }))
      // Generous: seeding a million payments on a busy machine takes minutes.
      const budgetMs = 4 * runs * durationMs + 15 * 60_000
      const rows = await phase(scenario.name, budgetMs, (signal) => scenario.run({
        namespace, env, settings, runs, durationMs, connections, kiosks, seedPayments, pacedRate, signal, earlier,
        note: (text) => log(`    ${text}`),
      }).catch((e: unknown): ReadonlyArray<Row> => [{ name: scenario.name, unit: "", error: signal.aborted ? `timed out after ${budgetMs / 1000} s` : message(e) }]))
      for (const row of rows) log(`  ${row.name}: ${brief(row)}`)
      scenarioRows.push(...rows)
    }
  } finally {
    await dropRunState({ natsUrl, databaseUrl, runPrefix }).catch((e: unknown) => log(`cleanup of ${runPrefix} failed: ${message(e)}`))
  }

  const loadAtEnd = loadavg()
  const header = `${startedAt.toISOString().slice(0, 10)} — ${machine.summary}; load average (1/5/15 min) at start ` +
    `${loadAtStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadAtEnd.map((l) => l.toFixed(2)).join(" ")}; ` +
    `${runs} × ${durationMs / 1000} s runs, ${connections} connections, servers' LOG_LEVEL ${values["log-level"]}`
  process.stdout.write(table(header, [{ title: "Ceilings", rows: ceilings }, { title: "Scenarios", rows: scenarioRows }]))
  const out = values.out
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, `${JSON.stringify({
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    namespace: runPrefix,
    options: { runs, durationMs, connections, kiosks, seedPayments, logLevel: values["log-level"], only: values.only ?? null },
    machine: { ...machine.facts, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd },
    phases,
    ceilings,
    scenarios: scenarioRows,
  }, null, 2)}\n`)
  log(`results: ${out}`)
  return failed([...ceilings, ...scenarioRows]) ? 1 : 0
}

async function describeMachine(natsUrl: string, databaseUrl: string) {
  const nc = await connect({ servers: natsUrl })
  const natsVersion = nc.info?.version ?? "?"
  await nc.close()
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query<{ server_version: string }>("show server_version")
  await client.end()
  const facts = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "?",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    natsServer: natsVersion,
    postgres: rows[0]?.server_version.split(" ")[0] ?? "?",
  }
  const summary = `${facts.cpus} CPU, ${facts.memoryGiB} GiB, Node ${facts.node}, nats-server ${facts.natsServer}, PostgreSQL ${facts.postgres}`
  return { facts, summary }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))
const brief = (r: Row) => r.perSecond === undefined
  ? `FAILED: ${r.error}`
  : `${Math.round(r.perSecond).toLocaleString("en-US")} ${r.unit}/s${r.latencyMs ? `, p99 ${r.latencyMs.p99.toFixed(1)} ms` : ""}` +
    `${r.ratio !== undefined ? `, ${r.ratio.toFixed(2)} ×` : ""}${(r.checks ?? []).some((c) => !c.ok) ? ", A CHECK FAILED" : ""}`

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
  process.stderr.write(`bench: ${message(error)}\n`)
  process.exit(1)
})
