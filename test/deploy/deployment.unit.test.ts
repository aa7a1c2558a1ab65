// The deployment files, read as an operator's tools would read them, held to the code: the Compose schema, the
// Kubernetes API schemas, every setting the config reads, every role the CLI knows, pinned images, parsable PromQL.
// (deployment.int.test.ts starts what these files start and asks the probes and metrics they name.)
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Ajv } from "ajv"
import * as models from "kubernetes-models"
import { describe, expect, it } from "vitest"
import { loadCommands, matchCommand, parseRoles } from "../../src/cli/index.ts"
import { settingsVariables } from "../../src/platform/index.ts"
import {
  alertRules, buildOverlay, compose, containerEnv, dashboardQueries, dockerfile, isPinned, OVERLAYS, overlayDir, parsePromql,
  podTemplate, probePort, PROMETHEUS_CONFIGS, readYaml, ROOT,
} from "./deploymentFiles.ts"
import { applyJsonPatch, type K8sObject, parseManifests, readManifests } from "./kustomize.ts"

const VARIABLES = settingsVariables()
const builds = Object.fromEntries(OVERLAYS.map((o) => [o, buildOverlay(o)] as const))
const appServices = () => Object.entries(compose().services).filter(([, s]) => "build" in s)
const deployments = (objects: ReadonlyArray<K8sObject>) => objects.filter((o) => podTemplate(o) !== undefined)

describe("docker-compose.yml", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "test/deploy/schemas/compose-spec.json"), "utf8")) as Record<string, unknown>
  // The vendored draft-07 schema names its meta-schema without the trailing '#'; ajv knows draft-07 as is.
  const validate = new Ajv({ allErrors: true, strict: false }).compile({ ...schema, $schema: undefined })

  it("validates against the Compose Specification's JSON schema", () => {
    const valid = validate(readYaml("docker-compose.yml"))
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(valid).toBe(true)
    // The same check refuses a broken file.
    expect(validate({ services: { app: { image: "x", ports: 8080, healthcheck: { tests: [] } } } })).toBe(false)
  })

  it("gives the app every variable the config reads", () => {
    expect(appServices().length).toBeGreaterThan(0)
    for (const [name, service] of appServices()) {
      expect(Object.keys(service.environment ?? {}).sort(), name).toEqual(expect.arrayContaining([...VARIABLES]))
    }
  })

  it("pins every image it pulls to an exact version", () => {
    for (const [name, service] of Object.entries(compose().services)) {
      if ("build" in service) continue
      expect(isPinned(service.image ?? ""), `${name}: ${service.image}`).toBe(true)
    }
  })

  it("runs only commands and roles the CLI has", async () => {
    const commands = await loadCommands()
    for (const [name, service] of appServices()) {
      const argv = service.command ?? ["serve"]
      expect(matchCommand(commands, argv), `${name}: ${argv.join(" ")}`).toBeDefined()
      const roles = argv.indexOf("--roles")
      if (roles !== -1) expect(() => parseRoles(argv[roles + 1]!)).not.toThrow()
    }
  })
})

describe.each(OVERLAYS)("Kubernetes overlay %s", (overlay) => {
  const objects = builds[overlay]!

  it("validates every object against the Kubernetes API schemas", () => {
    expect(objects.length).toBeGreaterThan(10)
    for (const object of objects) {
      const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion]
      const module = (group ? (models as Record<string, unknown>)[camel(group)] : models) as Record<string, Record<string, unknown>> | undefined
      const Model = module?.[version!]?.[object.kind] as (new (data: unknown) => { validate(): void }) | undefined
      expect(Model, `${object.apiVersion} ${object.kind} is not a Kubernetes API type`).toBeDefined()
      expect(() => new Model!(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow()
    }
    // The same check refuses a broken object.
    const edge = structuredClone(objects.find((o) => o.kind === "Deployment")!)
    podTemplate(edge)!.spec.containers[0]!.ports = [{ name: "http", containerPort: "8080" as unknown as number }]
    expect(() => new models.apps.v1.Deployment(edge as never).validate()).toThrow(/containerPort must be integer/)
  })

  it("gives every container every variable the config reads", () => {
    for (const d of deployments(objects)) {
      const template = podTemplate(d)!
      for (const c of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
        expect(Object.keys(containerEnv(objects, c)).sort(), `${d.metadata.name}/${c.name}`).toEqual(expect.arrayContaining([...VARIABLES]))
      }
    }
  })

  it("runs only commands and roles the CLI has", async () => {
    const commands = await loadCommands()
    for (const d of deployments(objects)) {
      const template = podTemplate(d)!
      for (const c of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
        const argv = c.args ?? []
        expect(matchCommand(commands, argv), `${d.metadata.name}/${c.name}: ${argv.join(" ")}`).toBeDefined()
        const roles = argv.indexOf("--roles")
        if (roles !== -1) expect(() => parseRoles(argv[roles + 1]!), `${d.metadata.name}`).not.toThrow()
      }
    }
  })

  it("pins the image, probes every long-running container on its ops port, and scrapes that port", () => {
    for (const d of deployments(objects)) {
      const template = podTemplate(d)!
      for (const c of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
        expect(isPinned(c.image), `${d.metadata.name}/${c.name}: ${c.image}`).toBe(true)
      }
      for (const c of template.spec.containers) {
        const opsPort = Number(containerEnv(objects, c).METRICS_PORT)
        expect(c.readinessProbe && probePort(c, c.readinessProbe), d.metadata.name).toBe(opsPort)
        expect(c.livenessProbe && probePort(c, c.livenessProbe), d.metadata.name).toBe(opsPort)
        expect(template.metadata.annotations?.["prometheus.io/port"], d.metadata.name).toBe(String(opsPort))
      }
    }
  })

  it("has a PodDisruptionBudget for every Deployment, an HPA for the edge, and NetworkPolicies", () => {
    const budgets = objects.filter((o) => o.kind === "PodDisruptionBudget")
    for (const d of objects.filter((o) => o.kind === "Deployment")) {
      const labels = (d.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels
      const covered = budgets.some((b) => {
        const selector = (b.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels
        return Object.entries(selector).every(([k, v]) => labels[k] === v)
      })
      expect(covered, `${d.metadata.name} has no PodDisruptionBudget`).toBe(true)
    }
    const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler")
    expect((hpa?.spec as { scaleTargetRef: { name: string } } | undefined)?.scaleTargetRef.name).toBe("admin-kiosk-edge")
    expect(objects.filter((o) => o.kind === "NetworkPolicy").map((o) => o.metadata.name)).toContain("default-deny")
  })

  it("builds as kubectl kustomize builds it (where kubectl is installed)", () => {
    let kubectl: string
    try {
      kubectl = execFileSync("kubectl", ["kustomize", overlayDir(overlay)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    } catch (error) {
      // Without kubectl there is nothing to compare with; the builder's own spec below still runs.
      expect((error as NodeJS.ErrnoException).code).toBe("ENOENT")
      return
    }
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`
    const theirs = parseManifests(kubectl).toSorted((a, b) => key(a).localeCompare(key(b)))
    const ours = objects.toSorted((a, b) => key(a).localeCompare(key(b)))
    expect(ours).toEqual(theirs)
  })
})

describe("Kubernetes settings per overlay", () => {
  const config = (overlay: string) =>
    builds[overlay]!.find((o) => o.kind === "ConfigMap" && o.metadata.name === "admin-kiosk-config")!.data as Record<string, string>
  it("keeps R3 streams in production and R1 on a one-server dev cluster", () => {
    expect(config("prod").STREAM_REPLICAS).toBe("3")
    expect(config("dev").STREAM_REPLICAS).toBe("1")
  })
})

describe("the Dockerfile", () => {
  const text = dockerfile()
  it("builds from an exact Node release and checks the ops port's /healthz", () => {
    const from = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1] ?? ""
    expect(isPinned(from), from).toBe(true)
    for (const [, image] of text.matchAll(/^FROM (\S+)/gm)) expect(image === "${NODE_IMAGE}" || isPinned(image!), image).toBe(true)
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*METRICS_PORT.*\/healthz/m)
    expect(text).toMatch(/^EXPOSE 8080 9464$/m)
  })
})

describe("Prometheus rules and Grafana's dashboard", () => {
  it("parse as PromQL", () => {
    for (const rule of alertRules()) expect(parsePromql(rule.expr), rule.alert).toHaveProperty("metrics")
    for (const { panel, expr } of dashboardQueries()) expect(parsePromql(expr), panel).toHaveProperty("metrics")
    expect(parsePromql("sum(rate(x[5m])")).toHaveProperty("error")
  })

  it("are well-formed alerting rules: a name, a duration, a severity and a summary", () => {
    for (const rule of alertRules()) {
      expect(rule.alert, rule.expr).toMatch(/^[A-Z][A-Za-z0-9]+$/)
      expect(rule.for ?? "0m", rule.alert).toMatch(/^\d+[smh]$/)
      expect(["critical", "warning"], rule.alert).toContain(rule.labels?.severity)
      expect(rule.annotations?.summary, rule.alert).toBeTruthy()
    }
  })

  it("load the rules the configs name, and compose scrapes the ops port of every long-running app service", () => {
    for (const path of PROMETHEUS_CONFIGS) {
      const config = readYaml<{ rule_files: Array<string>; scrape_configs: Array<{ job_name: string }> }>(path)
      expect(config.rule_files, path).toEqual(["/etc/prometheus/alerts.yml"])
      expect(config.scrape_configs.length, path).toBeGreaterThan(0)
    }
    const scrape = readYaml<{ scrape_configs: Array<{ job_name: string; static_configs?: Array<{ targets: Array<string> }> }> }>(PROMETHEUS_CONFIGS[0])
    const app = scrape.scrape_configs.find((c) => c.job_name === "admin-kiosk")!
    const serving = appServices().filter(([, s]) => s.command?.[0] === "serve")
    expect(serving.map(([name]) => name).toSorted()).toEqual(["app", "forecaster"])
    expect(app.static_configs!.flatMap((c) => c.targets).toSorted())
      .toEqual(serving.map(([name, s]) => `${name}:${s.environment!.METRICS_PORT}`).toSorted())
    expect(compose().services.prometheus!.image).toBeDefined()
  })
})

describe("the GitHub Actions workflow", () => {
  interface Job { "runs-on": string; services?: Record<string, { image: string }>; steps: Array<{ uses?: string; run?: string }> }
  const jobs = readYaml<{ jobs: Record<string, Job> }>(".github/workflows/ci.yml").jobs
  const steps = Object.values(jobs).flatMap((j) => j.steps)

  it("runs .ci/run against a Postgres service container and a NATS container, and builds the image", () => {
    const test = Object.values(jobs).find((j) => j.steps.some((s) => s.run?.includes("bash .ci/run")))
    expect(test?.services?.postgres?.image).toBeDefined()
    expect(test!.steps.some((s) => /docker run .*nats:\S+ -js/.test(s.run ?? ""))).toBe(true)
    expect(steps.some((s) => s.run?.includes("docker build -f infra/Dockerfile"))).toBe(true)
  })

  it("pins every action to a commit and every image to an exact version", () => {
    for (const s of steps.filter((s) => s.uses)) expect(s.uses, s.uses).toMatch(/@[0-9a-f]{40}$/)
    const images = [
      ...Object.values(jobs).flatMap((j) => Object.values(j.services ?? {}).map((s) => s.image)),
      ...steps.flatMap((s) => [...(s.run ?? "").matchAll(/docker run [^\n]*?(\S+:\S+) -js/g)].map((m) => m[1]!)),
    ]
    expect(images.length).toBeGreaterThanOrEqual(2)
    for (const image of images) expect(isPinned(image), image).toBe(true)
  })
})

describe("the kustomize builder used above", () => {
  it("applies JSON patches: replace, add, remove, append", () => {
    const doc = { a: { b: [1, 2] }, c: "x" }
    expect(applyJsonPatch(doc, [
      { op: "replace", path: "/c", value: "y" },
      { op: "add", path: "/a/b/-", value: 3 },
      { op: "remove", path: "/a/b/0" },
      { op: "add", path: "/d~1e", value: true },
    ])).toEqual({ a: { b: [2, 3] }, c: "y", "d/e": true })
    expect(doc).toEqual({ a: { b: [1, 2] }, c: "x" })
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(/nothing to replace/)
  })

  it("reads every file of the base", () => {
    expect(readManifests(join(ROOT, "infra/k8s/base/edge.yaml")).map((o) => o.kind))
      .toEqual(["Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"])
  })
})

const camel = (group: string) => group.replace(/[.-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())
