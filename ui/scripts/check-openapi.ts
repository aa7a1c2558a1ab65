// Checks the console's API calls against a running edge: node ui/scripts/check-openapi.ts [edge URL]
// Exits 1 listing every endpoint the console calls that the edge's OpenAPI document (/docs/json) lacks.
import { endpoints } from "../src/api/endpoints.ts"
import { missingEndpoints } from "../src/api/openapi.ts"

const edge = process.argv[2] ?? process.env.EDGE_URL ?? "http://127.0.0.1:8080"
const response = await fetch(new URL("/docs/json", edge))
if (!response.ok) {
  console.error(`GET ${edge}/docs/json answered ${response.status}`)
  process.exit(2)
}
const missing = missingEndpoints(await response.json(), endpoints)
if (missing.length > 0) {
  console.error(`The edge at ${edge} does not document ${missing.length} endpoint(s) the console calls:\n  ${missing.join("\n  ")}`)
  process.exit(1)
}
console.info(`All ${Object.keys(endpoints).length} endpoints the console calls are in the edge's OpenAPI document.`)
