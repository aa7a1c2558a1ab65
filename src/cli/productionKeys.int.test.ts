// The production start, as an operator runs it: `node src/cli/main.ts serve` with NODE_ENV=production refuses
// each weak key with exit code 1 and one line naming the variable, and starts (then stops on SIGTERM) with
// generated ones, so the refusals come from the keys and nothing else.
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { once } from "node:events"
import { createInterface } from "node:readline"
import { describe, expect, it } from "vitest"
import { testEnv } from "../../test/support/settings.ts"
import { DEVELOPMENT_KEYS } from "../platform/index.ts"
import { freePort } from "./devServices.ts"

const main = new URL("./main.ts", import.meta.url).pathname
const generated = () => randomBytes(32).toString("base64")

// A refused start never listens, so its port does not matter. The child sees only what the test sets: no
// JWT_SECRET, DEVICE_TOKEN_KEY or AUDIT_KEY leaks in from the runner's environment.
function serve(env: Record<string, string>, port = "1"): ChildProcess {
  return spawn(process.execPath, [main, "serve"], {
    env: { PATH: process.env.PATH ?? "", ...testEnv({ NODE_ENV: "production", HOST: "127.0.0.1", PORT: port, METRICS_PORT: "0", LOG_LEVEL: "info", ...env }) },
    stdio: ["ignore", "pipe", "pipe"],
  })
}

async function refusal(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = serve(env)
  let stderr = ""
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk })
  child.stdout!.resume()
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
  const [code] = (await once(child, "exit")) as [number | null]
  clearTimeout(timer)
  return { code, stderr }
}

describe("production start", () => {
  const strong = { JWT_SECRET: generated(), DEVICE_TOKEN_KEY: generated(), AUDIT_KEY: generated() }
  const cases: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
    ["no keys at all", {}, /JWT_SECRET, DEVICE_TOKEN_KEY, AUDIT_KEY: must be set when NODE_ENV=production/],
    ["no device key", { JWT_SECRET: strong.JWT_SECRET, AUDIT_KEY: strong.AUDIT_KEY }, /DEVICE_TOKEN_KEY: must be set/],
    ["no audit key", { JWT_SECRET: strong.JWT_SECRET, DEVICE_TOKEN_KEY: strong.DEVICE_TOKEN_KEY }, /AUDIT_KEY: must be set/],
    ["the audit key equal to the JWT secret", { ...strong, AUDIT_KEY: strong.JWT_SECRET }, /AUDIT_KEY: must differ from JWT_SECRET/],
    ["a short JWT secret", { ...strong, JWT_SECRET: "s3cr3t-but-short" }, /JWT_SECRET: must be at least 32 characters/],
    ["32 × a", { ...strong, JWT_SECRET: "a".repeat(32) }, /JWT_SECRET: is too easy to guess/],
    ["a short repeated pattern", { ...strong, DEVICE_TOKEN_KEY: "Ab1!".repeat(10) }, /DEVICE_TOKEN_KEY: is too easy to guess/],
    ["few distinct characters", { ...strong, JWT_SECRET: "0110100110010110100101100110100101101001" }, /JWT_SECRET: is too easy to guess/],
    ["a placeholder left in", { ...strong, JWT_SECRET: "CHANGE_ME_TO_48_RANDOM_BYTES_BASE64_xxxxxxxxxxxxxxxx" }, /JWT_SECRET: is a placeholder/],
    ["the same value for both keys", { ...strong, DEVICE_TOKEN_KEY: strong.JWT_SECRET }, /DEVICE_TOKEN_KEY: must differ from JWT_SECRET/],
    ...DEVELOPMENT_KEYS.map((published) =>
      [`the published development value ${published}`, { ...strong, JWT_SECRET: published }, /JWT_SECRET: is a published development value/] as const),
    ...DEVELOPMENT_KEYS.map((published) =>
      [`the published development value ${published} as device key`, { ...strong, DEVICE_TOKEN_KEY: published }, /DEVICE_TOKEN_KEY: is a published development value/] as const),
  ]

  it("refuses every weak key: exit 1 and one line on stderr naming the variable, never its value", async () => {
    // Three at a time: a dozen node processes at once starve a small, busy machine.
    const results: Array<Awaited<ReturnType<typeof refusal>>> = []
    for (let i = 0; i < cases.length; i += 3) results.push(...await Promise.all(cases.slice(i, i + 3).map(([, env]) => refusal(env))))
    for (const [index, [name, env, reason]] of cases.entries()) {
      const { code, stderr } = results[index]!
      expect(code, name).toBe(1)
      const lines = stderr.split("\n").filter(Boolean)
      expect(lines, name).toHaveLength(1)
      expect(lines[0], name).toMatch(/^admin-kiosk: configuration error: /)
      expect(lines[0], name).toMatch(reason)
      for (const value of Object.values(env)) expect(lines[0], name).not.toContain(value)
    }
  }, 600_000)

  it("starts with generated, distinct keys and stops on SIGTERM", async () => {
    const child = serve(strong, String(await freePort()))
    const exited = once(child, "exit")
    let stderr = ""
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk })
    const serving = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on("line", (line) => { if (line.includes('"msg":"serving"')) resolve() })
      void exited.then(([code]) => reject(new Error(`serve exited with ${String(code)} before serving: ${stderr}`)))
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    try {
      await serving
      child.kill("SIGTERM")
      const [code] = (await exited) as [number | null]
      expect(code).toBe(0)
    } finally {
      clearTimeout(timer)
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 120_000)
})
