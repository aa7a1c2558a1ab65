// A tiny HTTP server for the local fakes of cloud APIs: records every request, answers through a handler.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export interface FakeAnswer {
  readonly status: number
  readonly json: unknown
}

export interface FakeServer {
  readonly base: string
  readonly requests: Array<RecordedRequest>
  close(): Promise<void>
}

export async function startFakeServer(answer: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeServer> {
  const requests: Array<RecordedRequest> = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", async () => {
      const request = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }
      requests.push(request)
      try {
        const { status, json } = await answer(request)
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" })
        res.end(JSON.stringify(json))
      } catch (error) {
        res.writeHead(500, { "content-type": "application/json" })
        res.end(JSON.stringify({ message: String(error) }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
