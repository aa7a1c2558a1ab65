// Builds a kustomization the way `kubectl kustomize` does, for the features our overlays use: resources (files
// and directories), namespace, labels (metadata only), images, and JSON 6902 patches with a kind/name target.
// Anything else in a kustomization.yaml is refused, so an overlay can't quietly use a feature this builder would
// ignore. Where kubectl is installed, the deployment test compares this build with kubectl's.
import { readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { parseAllDocuments, parse as parseYaml } from "yaml"

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>

interface Kustomization {
  apiVersion?: string
  kind?: string
  namespace?: string
  resources?: Array<string>
  labels?: Array<{ pairs: Record<string, string>; includeSelectors?: boolean }>
  images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>
  patches?: Array<{ target: { kind: string; name: string }; patch: string }>
}

const KNOWN = new Set(["apiVersion", "kind", "namespace", "resources", "labels", "images", "patches"])

/** Every YAML document of a manifest text, as plain objects. */
export const parseManifests = (text: string): Array<K8sObject> =>
  parseAllDocuments(text).map((d) => d.toJSON() as K8sObject).filter(Boolean)

export const readManifests = (file: string): Array<K8sObject> => parseManifests(readFileSync(file, "utf8"))

export function kustomize(dir: string): Array<K8sObject> {
  const k = parseYaml(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key))
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: this builder does not know ${unknown.join(", ")}`)

  let objects = (k.resources ?? []).flatMap((r) => {
    const path = join(dir, r)
    return statSync(path).isDirectory() ? kustomize(path) : readManifests(path)
  })
  for (const patch of k.patches ?? []) {
    const targets = objects.filter((o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name)
    if (targets.length !== 1) throw new Error(`${dir}: patch target ${patch.target.kind}/${patch.target.name} matches ${targets.length} objects`)
    const ops = parseYaml(patch.patch) as Array<JsonPatchOp>
    objects = objects.map((o) => (o === targets[0] ? applyJsonPatch(o, ops) : o))
  }
  for (const image of k.images ?? []) objects = objects.map((o) => setImages(o, image))
  if (k.labels) {
    for (const { pairs, includeSelectors } of k.labels) {
      if (includeSelectors) throw new Error(`${dir}: labels with includeSelectors are not supported here`)
      objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...pairs } } }))
    }
  }
  if (k.namespace) {
    const ns = k.namespace
    objects = objects.map((o) => (o.kind === "Namespace" ? o : { ...o, metadata: { ...o.metadata, namespace: ns } }))
  }
  return objects
}

export interface JsonPatchOp {
  op: "add" | "replace" | "remove"
  path: string
  value?: unknown
}

/** RFC 6902 add / replace / remove, on a copy. */
export function applyJsonPatch<T>(target: T, ops: ReadonlyArray<JsonPatchOp>): T {
  const doc = structuredClone(target) as unknown
  for (const { op, path, value } of ops) {
    const keys = path.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    const last = keys.pop()!
    let parent = doc as Record<string, unknown> | Array<unknown>
    for (const key of keys) {
      const next = (parent as Record<string, unknown>)[key]
      if (next === undefined || next === null || typeof next !== "object") throw new Error(`patch path ${path}: no ${key}`)
      parent = next as Record<string, unknown>
    }
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last)
      if (op === "remove") parent.splice(index, 1)
      else if (op === "add") parent.splice(index, 0, value)
      else parent[index] = value
    } else {
      if (op !== "add" && !(last in parent)) throw new Error(`patch path ${path}: nothing to ${op}`)
      if (op === "remove") delete parent[last]
      else parent[last] = value
    }
  }
  return doc as T
}

function setImages(object: K8sObject, image: NonNullable<Kustomization["images"]>[number]): K8sObject {
  const pod = ((object.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec)
  if (!pod) return object
  const copy = structuredClone(object)
  const podCopy = (copy.spec as { template: { spec: Record<string, Array<{ image: string }> | undefined> } }).template.spec
  for (const list of [podCopy.containers, podCopy.initContainers]) {
    for (const c of list ?? []) {
      const [name, tag] = splitImage(c.image)
      if (name !== image.name) continue
      const newName = image.newName ?? name
      c.image = image.digest ? `${newName}@${image.digest}` : image.newTag ? `${newName}:${image.newTag}` : tag ? `${newName}:${tag}` : newName
    }
  }
  return copy
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf("@")
  if (at !== -1) return [image.slice(0, at), undefined]
  const colon = image.lastIndexOf(":")
  return colon > image.lastIndexOf("/") ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined]
}

/** The directory holding this repository's Kubernetes manifests. */
export const K8S_DIR = join(dirname(new URL(import.meta.url).pathname), "..", "..", "infra", "k8s")
