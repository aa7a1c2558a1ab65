// The built console (ui/dist) under /console/, and / sent there; see builtApp.ts for how a built app is served.
import { resolve } from "node:path"
import type { FastifyInstance } from "fastify"
import { builtAppPlugin } from "./builtApp.ts"

export const CONSOLE_PREFIX = "/console"
/** Where `npm run build:ui` writes the console. */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, "../../../ui/dist")

export interface ConsoleOptions {
  /** The built console; missing = not built yet. */
  readonly dir: string
}

export async function consolePlugin(app: FastifyInstance, options: ConsoleOptions) {
  app.get("/", { schema: { hide: true }, config: { access: "public" } }, (request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 302))
  await builtAppPlugin(app, { prefix: CONSOLE_PREFIX, dir: options.dir, name: "console" })
}
