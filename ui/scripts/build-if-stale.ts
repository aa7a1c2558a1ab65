// Builds the console before `npm start` when ui/dist is missing or older than its sources, so the edge serves
// what the sources say. Cheap when up to date: one walk of ui/src comparing modification times.
import { spawnSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

const ui = resolve(import.meta.dirname, "..")
const builtAt = (() => {
  try {
    return statSync(join(ui, "dist", "index.html")).mtimeMs
  } catch {
    return 0
  }
})()

function newestIn(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestIn(join(path, name))), stat.mtimeMs)
}

const sources = ["src", "public", "index.html", "vite.config.ts", "../package.json"].map((p) => join(ui, p))
const newest = Math.max(...sources.map((p) => { try { return newestIn(p) } catch { return 0 } }))
if (builtAt >= newest) {
  console.info("console: ui/dist is up to date")
} else {
  console.info(builtAt === 0 ? "console: ui/dist is missing, building it…" : "console: sources changed since the last build, rebuilding…")
  const result = spawnSync("npx", ["vite", "build", "ui"], { stdio: "inherit", cwd: resolve(ui, "..") })
  process.exit(result.status ?? 1)
}
