// Builds the console and the kiosk app before `npm start` when a build is missing or older than its sources, so
// the edge serves what the sources say. Cheap when up to date: one walk of the sources comparing modification times.
import { spawnSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

const ui = resolve(import.meta.dirname, "..")

function newestIn(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestIn(join(path, name))), stat.mtimeMs)
}
const newestOf = (paths: ReadonlyArray<string>) => Math.max(...paths.map((p) => { try { return newestIn(p) } catch { return 0 } }))

// The kiosk app also builds from the console's shared pieces (ui/src) and the client library.
const apps = [
  { name: "console", dir: ui, sources: ["src", "public", "index.html", "vite.config.ts"] },
  { name: "kiosk app", dir: join(ui, "kiosk"), sources: ["src", "public", "build", "index.html", "vite.config.ts", "../src", "../../src/kiosk-client"] },
]
for (const app of apps) {
  const builtAt = newestOf([join(app.dir, "dist", "index.html")])
  const newest = newestOf([...app.sources.map((p) => join(app.dir, p)), join(ui, "../package.json")])
  if (builtAt >= newest) {
    console.info(`${app.name}: ${join(app.dir, "dist")} is up to date`)
    continue
  }
  console.info(`${app.name}: ${builtAt === 0 ? "no build yet, building it…" : "sources changed since the last build, rebuilding…"}`)
  const result = spawnSync("npx", ["vite", "build", app.dir], { stdio: "inherit", cwd: resolve(ui, "..") })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
