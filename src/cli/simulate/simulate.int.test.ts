// `admin-kiosk kiosk simulate` as a user runs it, against a real edge: kiosks registered through the API by an
// admin, the network cut on a schedule, every sale taken acknowledged once (the PAYMENTS stream says so), and a
// second run resuming the same kiosks from their journals.
import { spawn } from "node:child_process"
import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStore } from "../../commands/index.ts"
import { type EdgeSystem, PASSWORD, type Session, startEdgeSystem } from "../../../test/support/edge.ts"
import { paymentsInStream } from "../../../test/support/paymentsInStream.ts"

const CLI = fileURLToPath(new URL("../main.ts", import.meta.url))
let system: EdgeSystem
let admin: Session
let edgeUrl: string
let dir: string

beforeAll(async () => {
  system = await startEdgeSystem({ projectors: false })
  admin = await system.userWithRole("admin")
  edgeUrl = await system.app.listen({ host: "127.0.0.1", port: 0 })
  dir = await mkdtemp(join(tmpdir(), "simulate-"))
})
afterAll(async () => {
  await system?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

function simulate(args: ReadonlyArray<string>, stdin = "") {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, "kiosk", "simulate", "--edge", edgeUrl, "--journal-dir", dir, "--json", ...args], {
      env: { ...process.env, NODE_ENV: "test" }, stdio: ["pipe", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => { stdout += d })
    child.stderr.on("data", (d: Buffer) => { stderr += d })
    child.on("close", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

const kioskIdsIn = async () => (await readdir(dir)).filter((f) => f.endsWith(".journal")).map((f) => f.replace(".journal", ""))

describe("kiosk simulate", () => {
  it("registers kiosks as an admin, sells through network cuts, and every sale taken is in the stream once", { timeout: 120_000 }, async () => {
    const run = await simulate(
      ["--admin", admin.user.username, "--password-stdin", "--kiosks", "6", "--rate", "25", "--offline-every", "2", "--offline-for", "1", "--duration", "5"],
      PASSWORD,
    )
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout) as Record<string, number | boolean>
    expect(summary).toMatchObject({ kiosks: 6, queued: 0, rejected: 0, failed: 0, drained: true })
    expect(summary.sent).toBeGreaterThan(30)
    expect(summary.acknowledged).toBe(summary.sent)
    expect(run.stderr).toMatch(/^final: sent \d+ · acknowledged \d+ · queued 0 · rejected 0/m)

    const kiosks = await kioskIdsIn()
    expect(kiosks).toHaveLength(6)
    const recorded = (await paymentsInStream(await system.app.run(EventStore))).filter((p) => kiosks.includes(p.kioskId))
    expect(recorded).toHaveLength(summary.sent as number)
    expect(new Set(recorded.map((p) => p.paymentId)).size).toBe(recorded.length)
  })

  it("a second run in the same journal directory resumes the same kiosks, no admin needed", { timeout: 120_000 }, async () => {
    const before = await kioskIdsIn()
    const run = await simulate(["--rate", "10", "--duration", "2"])
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ kiosks: 6, queued: 0, drained: true })
    expect(await kioskIdsIn()).toEqual(before)
  })

  it("refuses to make up kiosks it was not given a way to register", async () => {
    const run = await simulate(["--kiosks", "9", "--duration", "1"])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/9 kiosks wanted, 6 found .*--admin/)
  })
})
