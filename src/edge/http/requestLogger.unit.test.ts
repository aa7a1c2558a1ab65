import { Writable } from "node:stream"
import Fastify, { type FastifyBaseLogger, LogController } from "fastify"
import { pino } from "pino"
import { describe, expect, it } from "vitest"
import { requestLoggerFactory } from "./requestLogger.ts"

/** A Fastify app on a real pino logger whose children are counted, with a route that logs as `?log=` says. */
async function appLogging(level: string) {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done() } })
  const root = pino({ level }, sink)
  let children = 0
  // pino's children inherit `child` from their parent: this counts every child made for a request (the ones bound
  // to a request id), whoever's child it is, and makes it with the original on `this`.
  const original = root.child
  root.child = function (this: typeof root, ...args: Parameters<typeof original>) {
    if ("requestId" in args[0]) children++
    return original.apply(this, args)
  } as typeof root.child
  const app = Fastify({
    loggerInstance: root as FastifyBaseLogger, childLoggerFactory: requestLoggerFactory,
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
  })
  app.get<{ Querystring: { log?: string } }>("/", async (request) => {
    if (request.query.log === "info") request.log.info({ n: 1 }, "a line")
    if (request.query.log === "debug") request.log.debug("a debug line")
    if (request.query.log === "child") request.log.child({ room: "test" }).warn("from a grandchild")
    return { ok: true }
  })
  await app.ready()
  const before = children
  return { app, lines, children: () => children - before }
}

describe("the request logger", () => {
  it("makes no child logger for requests that write nothing, nor for a line below the level", async () => {
    const { app, lines, children } = await appLogging("info")
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: "/" })).statusCode).toBe(200)
    expect((await app.inject({ url: "/?log=debug" })).statusCode).toBe(200)
    expect(children()).toBe(0)
    expect(lines).toEqual([])
    await app.close()
  })

  it("writes a request's line with its request id, making the child then", async () => {
    const { app, lines, children } = await appLogging("info")
    await app.inject({ url: "/?log=info" })
    expect(children()).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 30, msg: "a line", n: 1, requestId: expect.any(String) })
    await app.close()
  })

  it("writes a debug line when the level allows it, and a grandchild carries both bindings", async () => {
    const { app, lines } = await appLogging("debug")
    await app.inject({ url: "/?log=debug" })
    await app.inject({ url: "/?log=child" })
    expect(lines.map((l) => l.msg)).toEqual(["a debug line", "from a grandchild"])
    expect(lines[1]).toMatchObject({ level: 40, room: "test", requestId: expect.any(String) })
    await app.close()
  })
})
