// The registry of subcommands. Adding one is one line below: a module whose default export is a `CliCommand`
// (or a list of them, e.g. "users create" and "users list"), built with `defineCommand` from ../command.ts.
import type { CliCommand } from "../command.ts"

type CommandModule = { readonly default: CliCommand | ReadonlyArray<CliCommand> }

const modules: ReadonlyArray<() => Promise<CommandModule>> = [
  () => import("./audit.ts"),
  () => import("./demo.ts"),
  () => import("./dev.ts"),
  () => import("./forecast.ts"),
  () => import("./kiosk.ts"),
  () => import("./migrate.ts"),
  () => import("./parked.ts"),
  () => import("./projections.ts"),
  () => import("./serve.ts"),
  () => import("./users.ts"),
]

/** Every registered command, sorted by name; fails loudly if two share a name. */
export async function loadCommands(): Promise<ReadonlyArray<CliCommand>> {
  const loaded = (await Promise.all(modules.map((load) => load()))).flatMap((m) => [m.default].flat())
  const seen = new Set<string>()
  for (const c of loaded) {
    if (seen.has(c.name)) throw new Error(`two CLI commands are registered as "${c.name}"`)
    seen.add(c.name)
  }
  return loaded.toSorted((a, b) => a.name.localeCompare(b.name))
}

/**
 * The command that `argv` names, matching the longest name first ("users create" before "users"),
 * and the arguments that follow it.
 */
export function matchCommand(commands: ReadonlyArray<CliCommand>, argv: ReadonlyArray<string>) {
  const byLength = commands.toSorted((a, b) => words(b.name).length - words(a.name).length)
  for (const command of byLength) {
    const name = words(command.name)
    if (name.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(name.length) }
  }
  return undefined
}

const words = (name: string) => name.split(" ")
