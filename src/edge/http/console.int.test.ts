// The built console on the edge's origin: files, the page fallback, the redirect from /, the CSP it runs under,
// and the 503 that says how to build it when ui/dist is missing.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, startEdgeSystem } from "../../../test/support/edge.ts"

let dir: string
let built: EdgeSystem
let missing: EdgeSystem

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "console-dist-"))
  await mkdir(join(dir, "assets"))
  await writeFile(join(dir, "index.html"), `<!doctype html><script type="module" src="/console/assets/index-abc123.js"></script><div id="root"></div>`)
  await writeFile(join(dir, "assets", "index-abc123.js"), "console.log('console')")
  await writeFile(join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>")
  built = await startEdgeSystem({ projectors: false, edge: { consoleDir: dir } })
  missing = await startEdgeSystem({ projectors: false, edge: { consoleDir: join(dir, "nowhere") } })
})
afterAll(async () => {
  await built?.close()
  await missing?.close()
  await rm(dir, { recursive: true, force: true })
})

const get = (sys: EdgeSystem, url: string) => sys.app.inject({ method: "GET", url })

describe("a built console", () => {
  it("serves its files, answers index.html for page paths, and sends / to /console/", async () => {
    expect((await get(built, "/")).headers.location).toBe("/console/")
    expect((await get(built, "/console")).headers.location).toBe("/console/")
    for (const page of ["/console/", "/console/payments?status=refunded", "/console/kiosks/ksk_0123456789"]) {
      const response = await get(built, page)
      expect(response.statusCode, page).toBe(200)
      expect(response.headers["content-type"]).toMatch(/^text\/html/)
      expect(response.body).toContain('<div id="root">')
      expect(response.headers["cache-control"]).toBe("no-cache")
    }
    const asset = await get(built, "/console/assets/index-abc123.js")
    expect(asset.statusCode).toBe(200)
    expect(asset.headers["content-type"]).toMatch(/javascript/)
    expect(asset.headers["cache-control"]).toContain("immutable")
    expect((await get(built, "/console/favicon.svg")).headers["content-type"]).toMatch(/^image\/svg\+xml/)
  })

  it("a missing asset is a 404 problem, not the page", async () => {
    const response = await get(built, "/console/assets/gone-123.js")
    expect(response.statusCode).toBe(404)
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/)
  })

  it("runs under a CSP that allows its wasm decoder, blob images and same-origin fetch and WebSocket only", async () => {
    const csp = (await get(built, "/console/")).headers["content-security-policy"] as string
    const directives = new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))
    expect(directives.get("default-src")).toEqual(["'self'"])
    expect(directives.get("script-src")).toEqual(["'self'", "'wasm-unsafe-eval'"])
    expect(directives.get("img-src")).toEqual(["'self'", "blob:", "data:"])
    expect(directives.get("connect-src")).toEqual(["'self'"])
    expect(directives.get("style-src")).toEqual(["'self'"])
    // Over plain HTTP on a LAN name this would rewrite the assets to https: a blank page.
    expect(directives.has("upgrade-insecure-requests")).toBe(false)
    expect(directives.get("frame-ancestors")).toEqual(["'none'"])
  })

  it("is left out of the API document", async () => {
    const paths = Object.keys((await get(built, "/docs/json")).json().paths as object)
    expect(paths.filter((p) => p === "/" || p.startsWith("/console"))).toEqual([])
  })
})

describe("no build", () => {
  it("/console/ answers 503 saying to run npm run build:ui", async () => {
    for (const page of ["/console/", "/console/payments"]) {
      const response = await get(missing, page)
      expect(response.statusCode).toBe(503)
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/)
      expect(response.json().detail).toContain("npm run build:ui")
    }
    // The API is unaffected.
    expect((await get(missing, "/healthz")).statusCode).toBe(200)
  })
})
