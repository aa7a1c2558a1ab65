// The built kiosk app on the edge's origin under /kiosk/: pages, its service worker and manifest (never cached
// for long, so a new build reaches kiosks), hashed assets cached for good, and the 503 without a build.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EdgeSystem, startEdgeSystem } from "../../../test/support/edge.ts"

let dir: string
let built: EdgeSystem
let missing: EdgeSystem

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kiosk-dist-"))
  await mkdir(join(dir, "assets"))
  await writeFile(join(dir, "index.html"), `<!doctype html><link rel="manifest" href="/kiosk/manifest.webmanifest"><div id="root"></div>`)
  await writeFile(join(dir, "assets", "main-abc123.js"), "console.log('kiosk')")
  await writeFile(join(dir, "sw.js"), "self.addEventListener('fetch', () => {})")
  await writeFile(join(dir, "manifest.webmanifest"), JSON.stringify({ name: "Kiosk", start_url: "/kiosk/" }))
  built = await startEdgeSystem({ projectors: false, edge: { kioskAppDir: dir } })
  missing = await startEdgeSystem({ projectors: false, edge: { kioskAppDir: join(dir, "nowhere") } })
})
afterAll(async () => {
  await built?.close()
  await missing?.close()
  await rm(dir, { recursive: true, force: true })
})

const get = (sys: EdgeSystem, url: string) => sys.app.inject({ method: "GET", url })

describe("the built kiosk app", () => {
  it("answers index.html for its pages and sends /kiosk to /kiosk/", async () => {
    expect((await get(built, "/kiosk")).headers.location).toBe("/kiosk/")
    for (const page of ["/kiosk/", "/kiosk/settings"]) {
      const response = await get(built, page)
      expect(response.statusCode, page).toBe(200)
      expect(response.body).toContain('<div id="root">')
      expect(response.headers["cache-control"]).toBe("no-cache")
    }
  })

  it("serves its service worker and manifest fresh, its hashed assets for good", async () => {
    const worker = await get(built, "/kiosk/sw.js")
    expect(worker.statusCode).toBe(200)
    expect(worker.headers["content-type"]).toMatch(/javascript/)
    expect(worker.headers["cache-control"]).toBe("no-cache")
    const manifest = await get(built, "/kiosk/manifest.webmanifest")
    expect(manifest.headers["content-type"]).toMatch(/^application\/manifest\+json/)
    expect((await get(built, "/kiosk/assets/main-abc123.js")).headers["cache-control"]).toContain("immutable")
    expect((await get(built, "/kiosk/assets/gone-1.js")).statusCode).toBe(404)
  })

  it("leaves the API alone: /kiosks is still the kiosks' API", async () => {
    expect((await get(built, "/kiosks")).statusCode).toBe(401)
  })

  it("without a build, answers 503 saying how to build it", async () => {
    const response = await get(missing, "/kiosk/")
    expect(response.statusCode).toBe(503)
    expect(response.json().detail).toMatch(/kiosk app is not built.*npm run build:ui/)
  })
})
