// Compares the console's endpoint table with the edge's OpenAPI document: what the console calls and the edge
// does not (or no longer) serve.
import type { Endpoint } from "./endpoints.ts"

interface OpenApiDocument { paths?: Record<string, Record<string, unknown>> }

/** "/kiosks/{id}" → "/kiosks/:id", the console's spelling. */
const asRoute = (path: string) => path.replace(/\{(\w+)\}/g, ":$1")
/** Parameter names differ between documents and code (`:id` vs `:kioskId`): compare the shape only. */
const shape = (path: string) => path.replace(/:\w+/g, ":")

export function missingEndpoints(document: OpenApiDocument, endpoints: Record<string, Endpoint>): string[] {
  const served = new Set<string>()
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) served.add(`${method.toUpperCase()} ${shape(asRoute(path))}`)
  }
  return Object.entries(endpoints)
    .filter(([, endpoint]) => !served.has(`${endpoint.method} ${shape(endpoint.path)}`))
    .map(([name, endpoint]) => `${name}: ${endpoint.method} ${endpoint.path}`)
}
