// The built console (ui/dist) on the edge's own origin: files under /console/, any other GET /console/… answers
// index.html (the console's router takes it from there), / goes to /console/. Without a build, /console/ says how
// to make one (503) instead of a bare 404.
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import fastifyStatic from "@fastify/static"
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify"
import { NotFound } from "../../commands/index.ts"
import { sendProblem } from "../problems.ts"

export const CONSOLE_PREFIX = "/console"
/** Where `npm run build:ui` writes the console. */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, "../../../ui/dist")

export interface ConsoleOptions {
  /** The built console; missing = not built yet. */
  readonly dir: string
}

const notBuilt = (dir: string) => ({
  _tag: "NotReady",
  message: `The console is not built (no ${join(dir, "index.html")}): run \`npm run build:ui\`, then reload.`,
  retryAfterSeconds: 30,
})

async function consoleFiles(app: FastifyInstance, options: ConsoleOptions) {
  // Pages and files are public: the console signs in with the API like any client.
  app.addHook("onRoute", (route: RouteOptions) => {
    route.config = { ...route.config, access: "public" }
  })
  const page = (request: FastifyRequest, reply: FastifyReply) => reply.redirect(`${CONSOLE_PREFIX}/`, 302)
  app.get("/", { schema: { hide: true } }, page)
  app.get(CONSOLE_PREFIX, { schema: { hide: true } }, page)

  if (!existsSync(join(options.dir, "index.html"))) {
    const refuse = (request: FastifyRequest, reply: FastifyReply) => sendProblem(request, reply, notBuilt(options.dir))
    app.get(`${CONSOLE_PREFIX}/`, { schema: { hide: true } }, refuse)
    app.get(`${CONSOLE_PREFIX}/*`, { schema: { hide: true } }, refuse)
    return
  }

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: options.dir,
      prefix: "/",
      schemaHide: true,
      // Hashed assets never change; index.html must be re-read so a new build is picked up.
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header("cache-control", path.startsWith(join(options.dir, "assets")) ? "public, max-age=31536000, immutable" : "no-cache")
      },
    })
    // A page path (/console/payments, reloaded or bookmarked) is the console's to route; a missing asset is a 404.
    scope.setNotFoundHandler((request, reply) => {
      const path = request.url.split("?")[0]!
      if (request.method !== "GET" || path.startsWith(`${CONSOLE_PREFIX}/assets/`) || /\.[a-z0-9]+$/i.test(path)) {
        return sendProblem(request, reply, new NotFound({ message: "no such file in the console" }))
      }
      return reply.header("cache-control", "no-cache").sendFile("index.html")
    })
  }, { prefix: CONSOLE_PREFIX })
}

export const consolePlugin = consoleFiles
