// The deployment files as data, for the tests that hold them to the code: compose, the Kubernetes overlays, the
// Dockerfile, Prometheus (scrape configs, alert rules), Grafana's dashboard, and the PromQL in them.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { parser as promql } from "@prometheus-io/lezer-promql"
import { parse as parseYaml } from "yaml"
import { K8S_DIR, type K8sObject, kustomize } from "./kustomize.ts"

export const ROOT = join(K8S_DIR, "..", "..")
const read = (path: string) => readFileSync(join(ROOT, path), "utf8")
export const readYaml = <T>(path: string): T => parseYaml(read(path), { merge: true }) as T

// ---- compose ---------------------------------------------------------------------------------------------------

export interface ComposeService {
  image?: string
  command?: Array<string>
  environment?: Record<string, string>
  healthcheck?: { test: Array<string> }
}
export interface ComposeFile {
  services: Record<string, ComposeService>
}
export const COMPOSE_FILE = "docker-compose.yml"
export const compose = () => readYaml<ComposeFile>(COMPOSE_FILE)

// ---- Kubernetes --------------------------------------------------------------------------------------------------

export const OVERLAYS = ["dev", "prod"] as const
export const overlayDir = (overlay: string) => join(K8S_DIR, "overlays", overlay)
export const buildOverlay = (overlay: string): Array<K8sObject> => kustomize(overlayDir(overlay))

export interface Probe {
  httpGet: { path: string; port: string | number }
}
export interface Container {
  name: string
  image: string
  args?: Array<string>
  ports?: Array<{ name?: string; containerPort: number }>
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>
  readinessProbe?: Probe
  livenessProbe?: Probe
  startupProbe?: Probe
}
export interface PodTemplate {
  metadata: { annotations?: Record<string, string> }
  spec: { containers: Array<Container>; initContainers?: Array<Container> }
}

export const podTemplate = (o: K8sObject): PodTemplate | undefined => (o.spec as { template?: PodTemplate } | undefined)?.template

/** A probe's port as a number: its own, or the named container port's. */
export function probePort(container: Container, probe: Probe): number {
  const { port } = probe.httpGet
  if (typeof port === "number") return port
  const found = container.ports?.find((p) => p.name === port)
  if (!found) throw new Error(`container ${container.name}: probe names port ${port}, which it does not declare`)
  return found.containerPort
}

/** The environment a container gets from its ConfigMaps and Secrets (the values as the overlay sets them). */
export function containerEnv(objects: ReadonlyArray<K8sObject>, container: Container): Record<string, string> {
  const env: Record<string, string> = {}
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef
    const kind = source.configMapRef ? "ConfigMap" : "Secret"
    const found = objects.find((o) => o.kind === kind && o.metadata.name === ref?.name)
    if (!found) throw new Error(`container ${container.name}: envFrom ${kind} ${ref?.name} is not in the build`)
    Object.assign(env, (found.data ?? {}) as Record<string, string>, (found.stringData ?? {}) as Record<string, string>)
  }
  return env
}

// ---- Prometheus and Grafana --------------------------------------------------------------------------------------

export interface AlertRule {
  alert?: string
  record?: string
  expr: string
  for?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}
export const alertRules = () =>
  readYaml<{ groups: Array<{ name: string; rules: Array<AlertRule> }> }>("infra/prometheus/alerts.yml").groups.flatMap((g) => g.rules)

export const PROMETHEUS_CONFIGS = ["infra/prometheus/prometheus.yml", "infra/prometheus/prometheus-kubernetes.yml"] as const

interface Panel {
  title?: string
  targets?: Array<{ expr?: string }>
  panels?: Array<Panel>
}
/** Every PromQL query of the Grafana dashboard, with its panel's title. */
export function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const walk = (panels: Array<Panel>): Array<{ panel: string; expr: string }> =>
    panels.flatMap((p) => [
      ...(p.targets ?? []).flatMap((t) => (t.expr ? [{ panel: p.title ?? "?", expr: t.expr }] : [])),
      ...walk(p.panels ?? []),
    ])
  return walk((JSON.parse(read("infra/grafana/dashboards/admin-kiosk.json")) as { panels: Array<Panel> }).panels)
}

/** Grafana's own variables become what Prometheus would see. */
const GRAFANA_VARIABLES: Record<string, string> = { $__rate_interval: "5m", $__interval: "1m", $__range: "1h" }

/** Parses PromQL; answers the metric names it selects, or the first syntax error's position. */
export function parsePromql(expr: string): { metrics: Array<string> } | { error: string } {
  const text = expr.replace(/\$__\w+/g, (v) => GRAFANA_VARIABLES[v] ?? v)
  const tree = promql.parse(text)
  const metrics = new Set<string>()
  const cursor = tree.cursor()
  do {
    if (cursor.type.isError) return { error: `syntax error at ${cursor.from}: …${text.slice(Math.max(0, cursor.from - 20), cursor.from + 20)}…` }
    if (cursor.type.name === "Identifier" && cursor.node.parent?.type.name === "VectorSelector") metrics.add(text.slice(cursor.from, cursor.to))
  } while (cursor.next())
  return { metrics: [...metrics] }
}

/**
 * Metrics that come from elsewhere than the app: the NATS exporter (jetstream_*, gnatsd_*), Prometheus itself.
 * Histograms are used through their _bucket / _count / _sum series; the app exports the family name.
 */
export const NOT_FROM_THE_APP = /^(jetstream_|gnatsd_|nats_|up$|scrape_|prometheus_)/
export const metricFamily = (name: string) => name.replace(/_(bucket|count|sum)$/, "")

/** Metric family names a /metrics answer declares (`# TYPE name kind`). */
export const declaredMetrics = (exposition: string): Set<string> =>
  new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!))

// ---- images -----------------------------------------------------------------------------------------------------

/** Images whose releases have two numbers (PostgreSQL 16.15 is exact; 16 would float). */
const TWO_PART_RELEASES = /^(docker\.io\/)?(library\/)?postgres:\d+\.\d+(-[a-z0-9]+)?$/

/** An image reference pinned to an exact version: a digest, or a tag with major.minor.patch (or a two-part release). */
export const isPinned = (image: string) =>
  /@sha256:[0-9a-f]{64}$/.test(image) || /:v?\d+\.\d+\.\d+[^:/]*$/.test(image) || TWO_PART_RELEASES.test(image)

export const dockerfile = () => read("infra/Dockerfile")
