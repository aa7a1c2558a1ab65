// Each role alone in its own process, as the Kubernetes manifests run them: every one serves /healthz, /readyz
// and /metrics on its ops port (METRICS_PORT), becomes ready, and stops with exit 0 on SIGTERM. Then every role in
// one process, the read side on a worker thread: one ops port still reports them all.
import { readdir, readFile } from "node:fs/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ServeProcess, startServe } from "../../../test/support/serveProcess.ts"
import { testEnv } from "../../../test/support/settings.ts"
import { ROLE_GROUPS, ROLE_NAMES } from "./serve.ts"

/** A metric only that role registers, so a scrape shows the role really runs there (others: Node's own). */
const OWN_METRIC: Record<string, string> = {
  projector: "projection_lag_events",
  notifier: "notifier_deliveries_total",
  "offline-detector": "offline_detector_commands_total",
  forecaster: "forecaster_refits_total",
  sealer: "audit_seals_total",
  reconciler: "reconciler_runs_total",
  edge: "http_request_duration_seconds",
  worker: "notifier_deliveries_total",
}

const roles = [...ROLE_NAMES, ...Object.keys(ROLE_GROUPS).filter((g) => g !== "all")]
const running = new Map<string, ServeProcess>()

beforeAll(async () => {
  // One system split over processes, as in a cluster: the roles share a namespace.
  const env = testEnv({ LOG_LEVEL: "info" })
  for (const role of roles) running.set(role, await startServe(role, env))
}, 120_000)

afterAll(async () => {
  await Promise.all([...running.values()].map((p) => p.stop()))
})

describe.each(roles)("serve --roles %s", (role) => {
  it("answers /healthz, becomes ready on /readyz and exports its metrics on the ops port", async () => {
    const serve = running.get(role)!
    expect(await (await serve.until200("METRICS_PORT", "/healthz")).json()).toEqual({ status: "ok" })
    const ready = await (await serve.until200("METRICS_PORT", "/readyz")).json() as { checks: Record<string, { ok: boolean }> }
    expect(Object.keys(ready.checks).length).toBeGreaterThan(0)
    const metrics = await serve.get("METRICS_PORT", "/metrics")
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/)
    const text = await metrics.text()
    expect(text).toContain("# TYPE process_resident_memory_bytes gauge")
    expect(text).toContain(`# TYPE ${OWN_METRIC[role] ?? "nodejs_eventloop_lag_p99_seconds"} `)
    expect((await serve.get("METRICS_PORT", "/nope")).status).toBe(404)
  })

  it("stops with exit code 0 on SIGTERM", async () => {
    const serve = running.get(role)!
    await serve.until200("METRICS_PORT", "/readyz")
    expect(await serve.stop(), serve.output()).toBe(0)
    running.delete(role)
  })
})

describe("the edge's API port", () => {
  it("keeps /healthz and /readyz for load balancers, and does not serve /metrics", async () => {
    const edge = await startServe("edge", testEnv())
    try {
      await edge.until200("PORT", "/readyz")
      expect((await edge.get("PORT", "/healthz")).status).toBe(200)
      expect((await edge.get("PORT", "/metrics")).status).toBe(404)
    } finally {
      expect(await edge.stop()).toBe(0)
    }
  })
})

describe("serve with every role in one process", () => {
  it("runs the read side on a worker thread, reports every role on /readyz and both threads' metrics, and stops with exit 0", async () => {
    const serve = await startServe("all", testEnv({ LOG_LEVEL: "info" }))
    try {
      const ready = await (await serve.until200("METRICS_PORT", "/readyz")).json() as { checks: Record<string, { ok: boolean }> }
      const reporting = new Set(Object.keys(ready.checks).map((name) => name.split(":")[0]))
      expect([...reporting].toSorted()).toEqual([...ROLE_NAMES].toSorted())
      expect(serve.output()).toMatch(/"thread":"read-side","role":"projector","msg":"role started"/)
      if (process.platform === "linux") expect(await niceByThread(serve.process.pid!)).toMatchObject({ "read-side": 10, [String(serve.process.pid)]: 0 })

      const text = await (await serve.get("METRICS_PORT", "/metrics")).text()
      expect(text).toContain("# TYPE projection_lag_events gauge") // from the read side's thread
      expect(text).toContain("# TYPE http_request_duration_seconds histogram") // from the edge's
      expect(text).toContain("# TYPE process_resident_memory_bytes gauge")
      // A metric both threads register (the event store's) and Node's own appear once, not once per thread.
      const typeLines = text.split("\n").filter((line) => line.startsWith("# TYPE "))
      expect(typeLines.length).toBeGreaterThan(0)
      expect(typeLines.filter((line, i) => typeLines.indexOf(line) !== i)).toEqual([])
    } finally {
      expect(await serve.stop(), serve.output()).toBe(0)
    }
    expect(serve.output()).toMatch(/"role":"edge","msg":"role stopped"[\s\S]*"thread":"read-side","role":"projector","msg":"role stopped"/)
  })
})

/** Each thread's nice value (Linux): the read side's by its name, the main thread's by its id (the pid). */
async function niceByThread(pid: number): Promise<Record<string, number>> {
  const nice: Record<string, number> = {}
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const [name, stat] = await Promise.all([readFile(`/proc/${pid}/task/${tid}/comm`, "utf8"), readFile(`/proc/${pid}/task/${tid}/stat`, "utf8")])
    // Fields after "(comm)" start at the third; the nice value is the nineteenth.
    const value = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])
    nice[name.trim()] = value
    if (tid === String(pid)) nice[tid] = value
  }
  return nice
}
