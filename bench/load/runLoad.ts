// Runs one load in a fresh load-generator process and returns what it measured.
import { spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { LoadResult, LoadSpec } from "./spec.ts"

export type { KioskCredential, LoadResult, LoadSpec, RequestPlan } from "./spec.ts"

const SCRIPT = new URL("./loadProcess.ts", import.meta.url).pathname

export async function runLoad(spec: LoadSpec, signal?: AbortSignal): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), "bench-load-"))
  try {
    const specFile = join(dir, "spec.json")
    const resultFile = join(dir, "result.json")
    await writeFile(specFile, JSON.stringify(spec))
    const child = spawn(process.execPath, [SCRIPT, specFile, resultFile], { stdio: ["ignore", "inherit", "inherit"] })
    const abort = () => child.kill("SIGKILL")
    signal?.addEventListener("abort", abort, { once: true })
    try {
      const [code] = (await once(child, "exit")) as [number | null]
      if (code !== 0) throw new Error(`the load generator exited with ${code}${signal?.aborted ? " (aborted)" : ""}`)
    } finally {
      signal?.removeEventListener("abort", abort)
    }
    return JSON.parse(await readFile(resultFile, "utf8")) as LoadResult
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A run's parts the checks count: its warm-up (if it had one), then the run. */
const withWarmups = (results: ReadonlyArray<LoadResult>) => results.flatMap((r) => (r.warmup !== undefined ? [r.warmup, r] : [r]))

/** Answers by status and errors, added up over several runs and their warm-ups. */
export function totals(results: ReadonlyArray<LoadResult>) {
  const codes: Record<string, number> = {}
  const parts = withWarmups(results)
  for (const r of parts) for (const [code, n] of Object.entries(r.statusCodes)) codes[code] = (codes[code] ?? 0) + n
  return { codes, errors: parts.reduce((sum, r) => sum + r.errors, 0) }
}

/** The id of every payment answered 2xx in these runs and their warm-ups. */
export const answeredPaymentIds = (results: ReadonlyArray<LoadResult>): ReadonlyArray<string> =>
  withWarmups(results).flatMap((r) => r.paymentIds ?? [])
