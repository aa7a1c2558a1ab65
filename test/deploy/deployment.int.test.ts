// What the deployment files start, started for real: each `serve` of the production overlay's Deployments and of
// compose's app and forecaster, as a process on its own. Every probe they name answers on the port they name, the
// compose and Docker healthchecks too, and every metric that a Grafana panel or an alert uses is exported by one.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseRoles, ROLE_NAMES } from "../../src/cli/index.ts"
import { type ServeProcess, startServe } from "../support/serveProcess.ts"
import { testEnv } from "../support/settings.ts"
import {
  alertRules, buildOverlay, compose, type Container, containerEnv, dashboardQueries, declaredMetrics, dockerfile, metricFamily,
  NOT_FROM_THE_APP, parsePromql, podTemplate, probePort,
} from "./deploymentFiles.ts"

interface Check {
  /** Where it is written. */
  readonly source: string
  readonly path: string
  /** The setting whose port the file uses. */
  readonly port: "PORT" | "METRICS_PORT"
}

interface Started {
  readonly source: string
  /** `serve --roles …` as the file runs it. */
  readonly roles: string
  readonly checks: ReadonlyArray<Check>
}

/** Which setting a port number in a file stands for, by the values the same file gives the settings. */
function settingOf(port: number, env: Record<string, string | undefined>, source: string): "PORT" | "METRICS_PORT" {
  if (String(port) === env.METRICS_PORT) return "METRICS_PORT"
  if (String(port) === env.PORT) return "PORT"
  throw new Error(`${source}: port ${port} is neither PORT (${env.PORT}) nor METRICS_PORT (${env.METRICS_PORT})`)
}

const rolesOf = (argv: ReadonlyArray<string>) => {
  expect(argv[0]).toBe("serve")
  const at = argv.indexOf("--roles")
  return at === -1 ? "all" : argv[at + 1]!
}

function fromKubernetes(): Array<Started> {
  const objects = buildOverlay("prod")
  return objects.filter((o) => o.kind === "Deployment").map((d) => {
    const template = podTemplate(d)!
    const [container] = template.spec.containers as [Container]
    const env = containerEnv(objects, container)
    const source = `k8s prod ${d.metadata.name}`
    const probes = [container.readinessProbe, container.livenessProbe, container.startupProbe].flatMap((p) => (p ? [p] : []))
    const checks: Array<Check> = probes.map((p) => ({ source, path: p.httpGet.path, port: settingOf(probePort(container, p), env, source) }))
    const annotations = template.metadata.annotations ?? {}
    checks.push({ source: `${source} prometheus.io`, path: annotations["prometheus.io/path"]!, port: settingOf(Number(annotations["prometheus.io/port"]), env, source) })
    return { source, roles: rolesOf(container.args ?? []), checks }
  })
}

/** Every compose service that runs `serve` (the app, the forecaster), with its healthcheck and the image's. */
function fromCompose(): Array<Started> {
  // The image's own HEALTHCHECK (Dockerfile) runs in these containers too.
  const docker = /HEALTHCHECK[\s\S]*?process\.env\.(\w+)[\s\S]*?'(\/\w+)'/.exec(dockerfile())!
  const image: Check = { source: "Dockerfile HEALTHCHECK", path: docker[2]!, port: docker[1] as "METRICS_PORT" }
  return Object.entries(compose().services).filter(([, s]) => "build" in s && (s.command ?? ["serve"])[0] === "serve").map(([name, service]) => {
    const source = `compose ${name}`
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[\w/]+)/.exec(service.healthcheck!.test.join(" "))!
    const health: Check = { source: `${source} healthcheck`, path: url[2]!, port: settingOf(Number(url[1]), service.environment!, source) }
    return { source, roles: rolesOf(service.command ?? ["serve"]), checks: [health, image] }
  })
}

const started = [...fromKubernetes(), ...fromCompose()]
const processes = new Map<string, ServeProcess>()
const exported = new Set<string>()

beforeAll(async () => {
  // One system, as deployed: the processes share a namespace.
  const env = testEnv({ LOG_LEVEL: "warn" })
  for (const s of started) processes.set(s.source, await startServe(s.roles, env))
  for (const s of started) {
    const serve = processes.get(s.source)!
    await serve.until200("METRICS_PORT", "/readyz", 150_000)
    for (const name of declaredMetrics(await (await serve.get("METRICS_PORT", "/metrics")).text())) exported.add(name)
  }
}, 300_000)

afterAll(async () => {
  const codes = await Promise.all([...processes.values()].map((p) => p.stop()))
  expect(codes.every((c) => c === 0)).toBe(true)
})

describe("what the deployment files start", () => {
  it("covers every Deployment of the production overlay and compose's serving services, every role among them", () => {
    expect(started.map((s) => s.source).toSorted()).toEqual([
      "compose app", "compose forecaster", "k8s prod admin-kiosk-edge", "k8s prod admin-kiosk-forecaster", "k8s prod admin-kiosk-projector",
      "k8s prod admin-kiosk-worker",
    ])
    // Each file runs every role exactly once, the forecaster apart from the edge.
    for (const from of ["compose", "k8s prod"]) {
      const roles = started.filter((s) => s.source.startsWith(from)).flatMap((s) => parseRoles(s.roles))
      expect(roles.toSorted(), from).toEqual([...ROLE_NAMES].toSorted())
    }
  })

  it.each(started.flatMap((s) => s.checks.map((c) => [`${c.source}: ${c.path} on ${c.port}`, s, c] as const)))(
    "%s answers 200", async (_, s, check) => {
      const response = await processes.get(s.source)!.until200(check.port, check.path, 30_000)
      expect(response.status).toBe(200)
    })

  it("exports every metric a Grafana panel or an alert uses", () => {
    const used = [
      ...alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
      ...dashboardQueries().map((q) => ({ where: `panel ${q.panel}`, expr: q.expr })),
    ]
    const missing: Array<string> = []
    for (const { where, expr } of used) {
      const parsed = parsePromql(expr)
      if (!("metrics" in parsed)) throw new Error(`${where}: ${parsed.error}`)
      for (const metric of parsed.metrics) {
        if (!NOT_FROM_THE_APP.test(metric) && !exported.has(metricFamily(metric))) missing.push(`${where}: ${metric}`)
      }
    }
    expect(exported.size).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})
