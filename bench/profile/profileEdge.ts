// `npm run bench:profile`: the edge (`serve --roles edge`) under the bench's payment load, with the V8 CPU profiler
// (node --cpu-prof, cut to the load's window) and a count of its NATS requests during the load (bench/profile/probe.ts). Prints the top
// self-time functions and areas, and the JetStream round trips per payment; writes bench/results/profile.json and
// bench/results/edge.cpuprofile (open it in Chrome DevTools → Performance, or speedscope). With --roles all the
// read side runs on a worker thread, profiled on its own: bench/results/read-side.cpuprofile, its own section.
// With --heap, V8's sampling heap profiler instead of the CPU profiler (bench/profile/heapProbe.ts): bytes allocated
// per payment, by area and by function; bench/results/edge.heapprofile (DevTools → Memory → Load).
import { randomBytes } from "node:crypto"
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises"
import { existsSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { readSettings } from "../../src/platform/index.ts"
import { dropRunState } from "../../test/support/cleanup.ts"
import { registerFleet } from "../fixtures/fleet.ts"
import { runLoad } from "../load/runLoad.ts"
import { percentiles } from "../support/measure.ts"
import { startServe } from "../targets/serve.ts"
import { selfTimes, type Window } from "./cpuProfile.ts"
import { allocations, type HeapProfile } from "./heapProfile.ts"

const PROBE = new URL("./probe.ts", import.meta.url).pathname
const HEAP_PROBE = new URL("./heapProbe.ts", import.meta.url).pathname

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "15" },
    connections: { type: "string", default: "32" },
    kiosks: { type: "string", default: "500" },
    roles: { type: "string", default: "edge" },
    "log-level": { type: "string", default: "info" },
    out: { type: "string", default: "bench/results" },
    heap: { type: "boolean", default: false },
  },
})
const log = (line: string) => process.stderr.write(`${line}\n`)
const base = await Effect.runPromise(readSettings(process.env))
const runPrefix = `bench_${randomBytes(3).toString("hex")}`
const env = {
  NODE_ENV: "test", NATS_URL: base.natsUrl, DATABASE_URL: base.databaseUrl, APP_NAMESPACE: `${runPrefix}_p`,
  LOG_LEVEL: values["log-level"], JWT_SECRET: randomBytes(32).toString("hex"), DEVICE_TOKEN_KEY: randomBytes(32).toString("hex"),
  AUDIT_KEY: randomBytes(32).toString("hex"),
}
const probeDir = await mkdtemp(join(tmpdir(), "bench-probe-"))
try {
  const settings = await Effect.runPromise(readSettings({ ...env, LOG_LEVEL: "warn" }))
  log(`registering ${values.kiosks} kiosks`)
  const fleet = await registerFleet(settings, Number(values.kiosks), log)
  const edge = await startServe({
    roles: values.roles, env: { ...env, PROBE_DIR: probeDir },
    // Node's default profile names say the thread: CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile, 0 the main one.
    nodeOptions: values.heap
      ? ["--import", PROBE, "--import", HEAP_PROBE]
      : ["--cpu-prof", "--cpu-prof-dir", probeDir, "--cpu-prof-interval", "500", "--import", PROBE],
  })
  let stopped = false
  try {
    const load = (tag: string, seconds: number) => runLoad({
      origin: edge.origin, driver: "autocannon", connections: Number(values.connections), durationSeconds: seconds,
      request: { kind: "payments", kiosks: fleet.kiosks, recordIds: false }, tag,
    })
    log("warming up")
    await load("warm", 3)
    const loadBefore = loadavg()[0]!
    edge.child.kill("SIGUSR2")
    log(`profiling ${values.duration} s of payments`)
    const cpuBefore = await edge.cpuSeconds()
    const result = await load("profiled", Number(values.duration))
    const cpuSeconds = (await edge.cpuSeconds()) - cpuBefore
    edge.child.kill("SIGUSR2")
    const written = async (file: string) => {
      while (!existsSync(join(probeDir, file))) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await written("nats.json")
    if (values.heap) await written("heap.json")
    // A CPU profile is written when the process exits.
    await edge.stop()
    stopped = true
    const nats = JSON.parse(await readFile(join(probeDir, "nats.json"), "utf8")) as {
      window: Window; requests: Record<string, number>; publishes: Record<string, number>
    }
    const answered = Object.values(result.statusCodes).reduce((a, b) => a + b, 0)
    const perPayment = (n: number) => Number((n / Math.max(1, answered)).toFixed(2))
    const requests = Object.entries(nats.requests).sort((a, b) => b[1] - a[1])
    const publishes = Object.entries(nats.publishes).sort((a, b) => b[1] - a[1])
    const roundTrips = requests.reduce((sum, [, n]) => sum + n, 0)
    await mkdir(values.out, { recursive: true })
    const profiled = values.heap
      ? await heapSection(probeDir, values.out, answered)
      : await cpuSections(probeDir, values.out, nats.window)
    const summary = {
      date: new Date().toISOString(),
      roles: values.roles,
      loadAverage1m: Number(loadBefore.toFixed(2)),
      payments: { answered, ok: result.ok, perSecond: Math.round(result.ok / result.seconds), latencyMs: percentiles(result.latencyMs), statusCodes: result.statusCodes },
      // The process's own CPU time (user + system) over the load: on a busy machine the profile's samples also
      // count time the process waited for a core.
      cpuMsPerPayment: Number(((cpuSeconds * 1000) / Math.max(1, answered)).toFixed(2)),
      natsPerPayment: {
        requests: perPayment(roundTrips),
        byKind: Object.fromEntries(requests.map(([k, n]) => [k, perPayment(n)])),
        publishesWithoutReply: Object.fromEntries(publishes.map(([k, n]) => [k, perPayment(n)])),
      },
      ...profiled.summary,
    }
    await writeFile(join(values.out, "profile.json"), `${JSON.stringify(summary, null, 2)}\n`)

    const out = [
      "", `serve --roles ${values.roles} under ${values.connections} connections of POST /payments, ${values.duration} s; load average ${loadBefore.toFixed(2)}`,
      `payments: ${summary.payments.perSecond}/s, p50 ${summary.payments.latencyMs.p50.toFixed(1)} ms, p99 ${summary.payments.latencyMs.p99.toFixed(1)} ms, answers ${JSON.stringify(result.statusCodes)}`,
      `CPU time of the edge process: ${summary.cpuMsPerPayment} ms per payment`,
      "", `NATS requests (round trips) per payment: ${summary.natsPerPayment.requests}`,
      ...requests.map(([k, n]) => `  ${perPayment(n).toFixed(2).padStart(6)}  ${k}`),
      ...(publishes.length > 0 ? ["  publishes without a reply awaited:", ...publishes.map(([k, n]) => `  ${perPayment(n).toFixed(2).padStart(6)}  ${k}`)] : []),
      ...profiled.lines,
      "", `written: ${[join(values.out, "profile.json"), ...profiled.files].join(", ")}`, "",
    ]
    process.stdout.write(out.join("\n"))
  } finally {
    if (!stopped) await edge.stop()
  }
} finally {
  await dropRunState({ natsUrl: base.natsUrl, databaseUrl: base.databaseUrl, runPrefix }).catch(() => undefined)
}

/** The CPU profiles of the main thread and (with --roles all) the read side's thread, cut to the load's window. */
async function cpuSections(probeDir: string, out: string, window: Window) {
  const written = (await readdir(probeDir)).filter((f) => f.endsWith(".cpuprofile"))
  const mainFile = written.find((f) => f.split(".")[4] === "0")
  const threadFile = written.find((f) => f !== mainFile)
  if (mainFile === undefined) throw new Error(`no main-thread profile in ${probeDir}: ${written.join(", ")}`)
  const readProfile = async (file: string) => selfTimes(JSON.parse(await readFile(join(probeDir, file), "utf8")), window)
  const profile = await readProfile(mainFile)
  const threadProfile = threadFile === undefined ? undefined : await readProfile(threadFile)
  if (profile.samples === 0) throw new Error("no profile sample fell inside the load window")
  await copyFile(join(probeDir, mainFile), join(out, "edge.cpuprofile"))
  if (threadFile) await copyFile(join(probeDir, threadFile), join(out, "read-side.cpuprofile"))
  const section = (title: string, p: typeof profile) => [
    "", `${title} (${p.samples} samples): ${p.busyMs} ms busy, ${p.idleMs} ms idle; self time by area:`,
    ...p.areas.map((a) => `  ${a.percent.toFixed(1).padStart(5)} %  ${a.name}`),
    "", "top self time by function:",
    ...p.functions.map((f) => `  ${f.percent.toFixed(1).padStart(5)} %  ${f.name}`),
  ]
  return {
    summary: { cpu: profile, ...(threadProfile ? { readSideThreadCpu: threadProfile } : {}) },
    lines: [
      ...section("CPU of the main thread during the load (the .cpuprofile covers the whole run)", profile),
      ...(threadProfile ? section("CPU of the read side's thread during the load", threadProfile) : []),
    ],
    files: [join(out, "edge.cpuprofile"), ...(threadFile ? [join(out, "read-side.cpuprofile")] : [])],
  }
}

/** What the process allocated during the load (every thread's heap is its own: this is the main thread's). */
async function heapSection(probeDir: string, out: string, answered: number) {
  const raw = await readFile(join(probeDir, "heap.json"), "utf8")
  const allocated = allocations(JSON.parse(raw) as HeapProfile)
  await writeFile(join(out, "edge.heapprofile"), raw)
  const kib = (bytes: number) => (bytes / 1024).toFixed(1)
  const perPaymentKiB = Number(kib(allocated.bytes / Math.max(1, answered)))
  return {
    summary: { allocatedKiBPerPayment: perPaymentKiB, allocations: allocated },
    lines: [
      "", `allocated on the main thread during the load: ${(allocated.bytes / 1024 / 1024).toFixed(0)} MiB, ${perPaymentKiB} KiB per payment (sampled every 64 KiB); by area:`,
      ...allocated.areas.map((a) => `  ${a.percent.toFixed(1).padStart(5)} %  ${kib(a.bytes / Math.max(1, answered)).padStart(6)} KiB  ${a.name}`),
      "", "top allocating functions (their own allocations, per payment):",
      ...allocated.functions.map((f) => `  ${f.percent.toFixed(1).padStart(5)} %  ${kib(f.bytes / Math.max(1, answered)).padStart(6)} KiB  ${f.name}`),
    ],
    files: [join(out, "edge.heapprofile")],
  }
}
