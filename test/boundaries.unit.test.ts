// The boundary check (.dependency-cruiser.mjs, run by .ci/run as `npm run check:boundaries`) on small fixture
// trees: each deliberate violation fails the check with its rule's name, the same tree done right passes, and so
// does this repository.
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("..", import.meta.url))
const CONFIG = join(ROOT, ".dependency-cruiser.mjs")
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs")
const made: Array<string> = []

interface Checked { readonly code: number; readonly output: string }

/** The check as .ci/run runs it, on `dirs` under `cwd`: its exit code and what it printed. */
const check = (cwd: string, dirs: ReadonlyArray<string>) => new Promise<Checked>((resolve) => {
  execFile(process.execPath, [DEPCRUISE, ...dirs, "--config", CONFIG, "--output-type", "err"], { cwd }, (error, stdout, stderr) =>
    resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }))
})

/** A tree of rooms that keeps every rule, with `change` laid over it (path → content). */
function tree(change: Readonly<Record<string, string>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "boundaries-"))
  made.push(dir)
  const files: Record<string, string> = {
    "src/shared/index.ts": "export const CURRENCIES = [\"EUR\"]\n",
    "src/platform/index.ts": "export const naming = (ns: string) => ns\n",
    "src/commands/events.ts": "export const PaymentRecorded = \"PaymentRecorded\"\n",
    "src/commands/index.ts": "export { PaymentRecorded } from \"./events.ts\"\nexport { naming } from \"../platform/index.ts\"\n",
    "src/projections/index.ts": "import { PaymentRecorded } from \"../commands/index.ts\"\nexport const applies = [PaymentRecorded]\n",
    "src/edge/routes.ts": "import { PaymentRecorded } from \"../commands/index.ts\"\nimport { applies } from \"../projections/index.ts\"\nexport const routes = [PaymentRecorded, ...applies]\n",
    "src/edge/index.ts": "export { routes } from \"./routes.ts\"\n",
    "src/edge/routes.int.test.ts": "import { harness } from \"../../test/support/harness.ts\"\nimport { routes } from \"./routes.ts\"\nexport const t = [harness, routes]\n",
    "test/support/harness.ts": "import { routes } from \"../../src/edge/index.ts\"\nexport const harness = routes\n",
    "ui/src/api/types.gen.ts": "export type Payment = { id: string }\n",
    "ui/src/page.ts": "import type { Payment } from \"./api/types.gen.ts\"\nimport { CURRENCIES } from \"../../src/shared/index.ts\"\nexport const p: Payment | string = CURRENCIES[0]!\n",
    ...change,
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }) })

const VIOLATIONS: ReadonlyArray<readonly [string, string, Record<string, string>]> = [
  ["a deep import into another room", "not-through-index", {
    "src/edge/routes.ts": "import { PaymentRecorded } from \"../commands/events.ts\"\nexport const routes = [PaymentRecorded]\n",
  }],
  ["a room importing one the table does not allow (commands → edge)", "room-not-allowed", {
    "src/commands/events.ts": "import { routes } from \"../edge/index.ts\"\nexport const PaymentRecorded = routes\n",
  }],
  ["the console importing the server", "room-not-allowed", {
    "ui/src/page.ts": "import { PaymentRecorded } from \"../../src/commands/index.ts\"\nexport const p = PaymentRecorded\n",
  }],
  ["a test reaching into another room", "tests-through-index", {
    "src/edge/routes.int.test.ts": "import { PaymentRecorded } from \"../commands/events.ts\"\nexport const t = PaymentRecorded\n",
  }],
  ["test support reaching into a room", "tools-through-index", {
    "test/support/harness.ts": "import { routes } from \"../../src/edge/routes.ts\"\nexport const harness = routes\n",
  }],
  ["an import cycle", "no-cycle", {
    "src/edge/hub.ts": "import type { Connection } from \"./connection.ts\"\nexport type Hub = { c: Connection }\n",
    "src/edge/connection.ts": "import type { Hub } from \"./hub.ts\"\nexport type Connection = { h: Hub }\n",
  }],
  ["production code importing test support", "no-harness-in-src", {
    "src/edge/routes.ts": "import { harness } from \"../../test/support/harness.ts\"\nexport const routes = [harness]\n",
  }],
  ["a test harness under src/", "no-testing-folder-in-src", {
    "src/edge/testing/client.ts": "export const client = 1\n",
    "src/edge/routes.int.test.ts": "import { client } from \"./testing/client.ts\"\nexport const t = client\n",
  }],
  ["server code importing the console", "src-not-into-tools", {
    "src/edge/routes.int.test.ts": "import type { Payment } from \"../../ui/src/api/types.gen.ts\"\nexport const t: Payment | undefined = undefined\n",
  }],
]

// One process per tree, all at once: each is mostly Node and TypeScript starting up.
let clean: Checked
let repository: Checked
const broken: Array<Checked> = []
beforeAll(async () => {
  const runs = await Promise.all([
    check(tree(), ["src", "ui", "test"]),
    check(ROOT, ["src", "ui", "test", "bench", "scripts"]),
    ...VIOLATIONS.map(([, , change]) => check(tree(change), ["src", "ui", "test"])),
  ])
  ;[clean, repository] = [runs[0]!, runs[1]!]
  broken.push(...runs.slice(2))
}, 300_000)

describe("the boundary check", () => {
  it("passes a tree whose rooms meet only through their index.ts", () => {
    expect(clean.output).toContain("no dependency violations found")
    expect(clean.code).toBe(0)
  })

  VIOLATIONS.forEach(([what, rule], i) => {
    it(`fails on ${what} (${rule})`, () => {
      expect(broken[i]!.output).toContain(`error ${rule}:`)
      expect(broken[i]!.code).not.toBe(0)
    })
  })

  it("passes on this repository (what .ci/run checks)", () => {
    expect(repository.output).toContain("no dependency violations found")
    expect(repository.code).toBe(0)
  })
})
