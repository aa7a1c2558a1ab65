// The package's JavaScript, for `npm pack` (prepack): tsc emits dist/ from src/ (tsconfig.build.json), then the
// relative `.ts` specifiers that tsc leaves in dynamic import()s and in declaration files become `.js`, since Node
// never strips types under node_modules and dist/ holds no .ts file. Run from the repository root.
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const DIST = "dist"

rmSync(DIST, { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { stdio: "inherit" })
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

const RELATIVE_TS = /((?:from|import\()\s*["'])(\.\.?\/[^"']*?)\.ts(["'])/g
let rewritten = 0
for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|d\.ts)$/.test(entry.name)) continue
  const file = join(entry.parentPath, entry.name)
  const text = readFileSync(file, "utf8")
  const next = text.replace(RELATIVE_TS, (_, head: string, path: string, tail: string) => `${head}${path}.js${tail}`)
  if (next !== text) {
    writeFileSync(file, next)
    rewritten++
  }
}
console.log(`dist/: built; .ts specifiers rewritten in ${rewritten} files`)
