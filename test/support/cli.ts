// The real CLI in a process of its own, as an operator runs it: arguments, environment, stdin; its exit code and output.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export function runCli(args: ReadonlyArray<string>, env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => { stdout += d })
    child.stderr.on("data", (d: Buffer) => { stderr += d })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin ?? "")
  })
}
