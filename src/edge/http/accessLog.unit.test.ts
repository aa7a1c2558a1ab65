import { Writable } from "node:stream"
import Fastify, { type FastifyBaseLogger, LogController } from "fastify"
import { pino } from "pino"
import { describe, expect, it } from "vitest"
import { ACCESS_LOG_SAMPLE_EVERY, accessLogPlugin } from "./accessLog.ts"

async function linesAfter(level: string, requests: number): Promise<Array<{ level: number; msg: string; status?: number }>> {
  const lines: Array<string> = []
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const app = Fastify({ loggerInstance: pino({ level }, sink) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) })
  await app.register(accessLogPlugin)
  app.get("/", async () => ({ ok: true }))
  for (let i = 0; i < requests; i++) await app.inject({ url: "/" })
  await app.close()
  return lines.join("").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l))
}

describe("the access log", () => {
  it("above debug, logs one request in each sample, at info", async () => {
    const lines = await linesAfter("info", 2 * ACCESS_LOG_SAMPLE_EVERY)
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatchObject({ level: 30, status: 200 })
  })

  it("at debug, logs every request", async () => {
    const lines = await linesAfter("debug", 5)
    expect(lines.filter((l) => l.msg === "request completed")).toHaveLength(5)
  })
})
