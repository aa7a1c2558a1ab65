// The contract between the dispatcher (main.ts) and every subcommand under ./commands/.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util"
import { Effect, type ManagedRuntime } from "effect"
import type { AppSettings } from "../platform/index.ts"
import type { ProcessServices } from "../projections/index.ts"

/** The process's one runtime: settings, one NATS connection, the event store, a Postgres pool per role. */
export type CliRuntime = ManagedRuntime.ManagedRuntime<ProcessServices, unknown>

export interface CliContext {
  /** Aborted on the first SIGINT/SIGTERM: long-running commands stop gracefully when it fires. */
  readonly signal: AbortSignal
  /** Reads and validates the settings from the environment as it is now (a bad value fails with ConfigInvalid). */
  settings(): Promise<AppSettings>
  /** The environment those settings are read from, for a worker thread that reads the same (serve's read side). */
  environment(): Readonly<Record<string, string | undefined>>
  /**
   * The process's runtime, built from those settings on first use and disposed by main when the command has
   * ended (pools closed, NATS drained): commands run their programs on it and never build one of their own.
   */
  runtime(): Promise<CliRuntime>
  /** Disposes that runtime now rather than at exit: for `dev`, whose services must outlive the connections to them. */
  releaseRuntime(): Promise<void>
}

/**
 * One subcommand. `name` may have two words ("users create"). Keep heavy imports (Fastify, SDKs) inside `run`,
 * so that `--help` and the other commands start fast.
 */
export interface CliCommand {
  readonly name: string
  /** One line for `admin-kiosk --help`. */
  readonly summary: string
  /** The full text for `admin-kiosk <name> --help`, starting with the synopsis. */
  readonly usage: string
  /** Resolves with the exit code (nothing = 0). `argv` holds the arguments after the command's name. */
  run(argv: ReadonlyArray<string>, ctx: CliContext): Promise<number | void>
}

export const defineCommand = (command: CliCommand): CliCommand => command

/** An expected failure: main prints its message as one line and exits with `exitCode`, no stack. */
export class CliError extends Error {
  override readonly name: string = "CliError"
  readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}

/** Wrong arguments: exit code 2, like other Unix tools. */
export class UsageError extends CliError {
  override readonly name = "UsageError"
  constructor(message: string) {
    super(message, 2)
  }
}

/** `util.parseArgs`, strict, with its errors turned into one-line usage errors. */
export function parseOptions<const O extends ParseArgsOptionsConfig>(
  argv: ReadonlyArray<string>,
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals, allowNegative: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0]! : String(error))
  }
}

/** The runtime `CliContext.runtime` answers, built by main where the process starts; `name` names its connections. */
export async function runtimeFrom(settings: AppSettings, name: string): Promise<CliRuntime> {
  // Loaded once a command asks for it, not for --help.
  const [{ ManagedRuntime }, { processLayer }] = await Promise.all([import("effect"), import("../projections/index.ts")])
  return ManagedRuntime.make(processLayer(settings, name))
}

/** Settings from an environment record; used by main for `CliContext.settings`. */
export async function settingsFrom(env: Record<string, string | undefined>): Promise<AppSettings> {
  const { readSettings } = await import("../platform/index.ts") // loaded once a command runs, not for --help
  return Effect.runPromise(readSettings(env))
}
