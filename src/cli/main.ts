#!/usr/bin/env node
// admin-kiosk: runs the roles (serve, dev) and the operator tasks. Subcommands live in ./commands/ (see its index.ts).
import { readFileSync } from "node:fs"
import { CliError, type CliCommand, type CliContext, type CliRuntime, runtimeFrom, settingsFrom } from "./command.ts"
import { loadCommands, matchCommand } from "./commands/index.ts"
import { withDevServices } from "./devState.ts"

const BIN = "admin-kiosk"
/** How long a command may take to stop after the first SIGINT/SIGTERM before the process exits anyway. */
const STOP_GRACE_MS = 20_000

async function main(argv: ReadonlyArray<string>): Promise<number> {
  const commands = await loadCommands()
  const [first] = argv
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? matchCommand(commands, argv.slice(1)) : undefined
    process.stdout.write(topic ? `${topic.command.usage.trimEnd()}\n` : overview(commands))
    return 0
  }
  if (first === "--version" || first === "-v") {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  const found = matchCommand(commands, argv)
  if (!found) return unknown(commands, argv)
  if (found.rest.includes("--help") || found.rest.includes("-h")) {
    process.stdout.write(`${found.command.usage.trimEnd()}\n`)
    return 0
  }
  running = found.command.name
  return (await found.command.run(found.rest, context())) ?? 0
}

/** The command being run, so that its usage errors point at its own --help. */
let running: string | undefined

function overview(commands: ReadonlyArray<CliCommand>): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8)
  return [
    `${BIN} ${version()} — event-sourced payment kiosk fleet on NATS JetStream + Postgres`,
    "",
    `Usage: ${BIN} <command> [options]     (${BIN} <command> --help for its options)`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Configuration comes from the environment (NATS_URL, DATABASE_URL, PORT, …); see README.md.",
    "",
  ].join("\n")
}

function unknown(commands: ReadonlyArray<CliCommand>, argv: ReadonlyArray<string>): number {
  // "users" alone, when "users create" and "users list" exist, lists that group instead of a bare "unknown".
  const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name)
  const hint = group.length > 0 ? `: did you mean ${group.join(", ")}?` : ` (see ${BIN} --help)`
  process.stderr.write(`${BIN}: unknown command "${argv.slice(0, 2).join(" ")}"${hint}\n`)
  return 2
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
  return pkg.version
}

/**
 * The environment settings are read from: with a running `admin-kiosk dev`'s services filled in where NATS_URL
 * or DATABASE_URL is unset (said once on stderr), except for dev itself, which finds or starts its own.
 */
let environment: Record<string, string | undefined> | undefined
function settingsEnv(): Record<string, string | undefined> {
  if (environment) return environment
  if (running === "dev") return process.env
  const { env, used } = withDevServices(process.env)
  if (used) process.stderr.write(`${BIN}: using the services of \`${BIN} dev\` (pid ${used.pid}), from .data/dev.json\n`)
  return (environment = env)
}

// The process's one runtime, built on a command's first ask and disposed once when the command has ended.
let runtime: Promise<CliRuntime> | undefined
async function disposeRuntime(): Promise<void> {
  const built = await runtime?.catch(() => undefined)
  runtime = undefined
  await built?.dispose()
}

// The first SIGINT/SIGTERM asks the command to stop (ctx.signal); a second one, or the grace period, exits at once.
const stopping = new AbortController()
function context(): CliContext {
  const settings = () => settingsFrom(settingsEnv())
  return {
    signal: stopping.signal,
    settings,
    environment: settingsEnv,
    runtime: () => (runtime ??= settings().then((s) => runtimeFrom(s, (running ?? "cli").replaceAll(" ", "-")))),
    releaseRuntime: disposeRuntime,
  }
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping.signal.aborted) process.exit(130)
    process.stderr.write(`${BIN}: ${sig}, stopping… (again to force)\n`)
    stopping.abort(sig)
    setTimeout(() => {
      process.stderr.write(`${BIN}: did not stop within ${STOP_GRACE_MS / 1000} s, exiting\n`)
      process.exit(1)
    }, STOP_GRACE_MS).unref()
  })
}

/** Expected failures are one line; anything else is a bug and keeps its stack. */
async function report(error: unknown): Promise<number> {
  const { ConfigInvalid, describeOperationalFailure } = await import("../platform/index.ts") // not on --help's path
  const config = findCause(error, (e) => e instanceof ConfigInvalid)
  if (config) {
    process.stderr.write(`${BIN}: configuration error: ${config.message}\n`)
    return 1
  }
  const expected = findCause(error, (e) => e instanceof CliError)
  if (expected instanceof CliError) {
    const where = running ? `${BIN} ${running}` : BIN
    const hint = expected.exitCode === 2 ? ` (see ${where} --help)` : ""
    process.stderr.write(`${where}: ${expected.message}${hint}\n`)
    return expected.exitCode
  }
  const settings = await settingsFrom(settingsEnv()).catch(() => undefined)
  const operational = settings && describeOperationalFailure(error, settings)
  if (operational) {
    process.stderr.write(`${running ? `${BIN} ${running}` : BIN}: ${operational}\n`)
    return 1
  }
  process.stderr.write(`${BIN}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  return 1
}

function findCause(error: unknown, match: (e: Error) => boolean): Error | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (match(e)) return e
  return undefined
}

// Exit explicitly: a one-shot command that left a pool or socket open must not hang the shell.
main(process.argv.slice(2))
  .then((code) => disposeRuntime().then(() => code), async (error: unknown) => {
    await disposeRuntime().catch(() => undefined)
    return report(error)
  })
  .then((code) => process.exit(code), async (error: unknown) => process.exit(await report(error)))
