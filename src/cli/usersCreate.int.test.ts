// `admin-kiosk users create` as an operator runs it: the password on stdin meets the same policy as sign-up.
import { spawn } from "node:child_process"
import { once } from "node:events"
import { describe, expect, it } from "vitest"
import { testEnv } from "../../test/support/settings.ts"

const main = new URL("./main.ts", import.meta.url).pathname

async function usersCreate(env: Record<string, string>, username: string, password: string) {
  const child = spawn(process.execPath, [main, "users", "create", "--username", username, "--password-stdin", "--role", "admin"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  })
  let stdout = ""
  let stderr = ""
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk })
  child.stdin.end(password)
  const [code] = (await once(child, "exit")) as [number | null]
  return { code, stdout, stderr }
}

describe("users create", () => {
  it("refuses a guessable password in one line naming it, and makes the account with a strong one", async () => {
    const env = testEnv()
    const weak = await usersCreate(env, "root", "password1234")
    expect(weak.code).toBe(1)
    expect(weak.stdout).toBe("")
    expect(weak.stderr).toMatch(/^admin-kiosk users create: password: too easy to guess\. This is similar to a commonly used password\.[^\n]*\n$/)
    expect(weak.stderr).not.toContain("password1234")

    const own = await usersCreate(env, "rosa.delgado", "rosa.delgado.1990")
    expect(own.code).toBe(1)
    expect(own.stderr).toMatch(/personal or page related data/)

    const strong = await usersCreate(env, "root", "ventana lluvia tranvía")
    expect(strong.stderr).toBe("")
    expect(strong.code).toBe(0)
    expect(JSON.parse(strong.stdout)).toMatchObject({ username: "root", role: "admin" })
  }, 180_000) // three CLI processes, each connecting to NATS: slow on a loaded machine
})
