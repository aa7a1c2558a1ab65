// A single-page app built by Vite, served on the edge's own origin under a prefix: its files; any other GET under
// the prefix answers index.html (the app's router takes it from there); a missing asset is a 404. Without a build,
// every page answers a 503 problem saying how to make one. The console (/console/) and the kiosk app (/kiosk/)
// are both served this way.
import { existsSync } from "node:fs"
import { join } from "node:path"
import fastifyStatic from "@fastify/static"
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify"
import { NotFound } from "../../commands/index.ts"
import { sendProblem } from "../problems.ts"

export interface BuiltAppOptions {
  /** "/console", "/kiosk". */
  readonly prefix: string
  /** The build output (Vite's outDir); missing = not built yet. */
  readonly dir: string
  /** What the app is called in the "not built" problem. */
  readonly name: string
}

const notBuilt = (options: BuiltAppOptions) => ({
  _tag: "NotReady",
  message: `The ${options.name} is not built (no ${join(options.dir, "index.html")}): run \`npm run build:ui\`, then reload.`,
  retryAfterSeconds: 30,
})

export async function builtAppPlugin(app: FastifyInstance, options: BuiltAppOptions) {
  const { prefix, dir } = options
  // Pages and files are public: the apps authenticate with the API like any client.
  app.addHook("onRoute", (route: RouteOptions) => {
    route.config = { ...route.config, access: "public" }
  })
  app.get(prefix, { schema: { hide: true } }, (request, reply) => reply.redirect(`${prefix}/`, 302))

  if (!existsSync(join(dir, "index.html"))) {
    const refuse = (request: FastifyRequest, reply: FastifyReply) => sendProblem(request, reply, notBuilt(options))
    app.get(`${prefix}/`, { schema: { hide: true } }, refuse)
    app.get(`${prefix}/*`, { schema: { hide: true } }, refuse)
    return
  }

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: "/",
      schemaHide: true,
      // Hashed assets never change; everything else (index.html, a service worker, the manifest) is re-read so a
      // new build is picked up.
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header("cache-control", path.startsWith(join(dir, "assets")) ? "public, max-age=31536000, immutable" : "no-cache")
      },
    })
    // A page path (reloaded or bookmarked) is the app's to route; a missing asset is a 404.
    scope.setNotFoundHandler((request, reply) => {
      const path = request.url.split("?")[0]!
      if (request.method !== "GET" || path.startsWith(`${prefix}/assets/`) || /\.[a-z0-9]+$/i.test(path)) {
        return sendProblem(request, reply, new NotFound({ message: `no such file in the ${options.name}` }))
      }
      return reply.header("cache-control", "no-cache").sendFile("index.html")
    })
  }, { prefix })
}
