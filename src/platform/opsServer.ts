// The ops port (METRICS_PORT) that every role serves, whatever else it does: /healthz (the process answers),
// /readyz (every role in the process is ready) and /metrics (Prometheus). Probes and scrapers reach it inside the
// cluster; it is never exposed publicly. Plain node:http, so a projector or worker needs no web framework.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { PortInUse } from "./failures.ts"
import { registry } from "./metrics.ts"
import { isReady, type Readiness } from "./readiness.ts"

export interface OpsServer {
  /** The port it listens on (the OS's pick when METRICS_PORT is 0). */
  readonly port: number
  close(): Promise<void>
}

export interface OpsOptions {
  readonly host: string
  readonly port: number
  readonly readiness: Readiness
  /** The /metrics body; default this thread's registry (serve with a read-side thread adds that thread's). */
  readonly metrics?: () => Promise<string>
}

export async function startOpsServer(options: OpsOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    answer(request, response, options).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, "text/plain", `ops endpoint failed: ${String(error)}\n`)
      else response.destroy()
    })
  })
  // Probes reuse connections; an idle keep-alive socket must not hold up shutdown.
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUse(options.port, "METRICS_PORT") : error))
    server.listen({ host: options.host, port: options.port }, resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}

async function answer(request: IncomingMessage, response: ServerResponse, { readiness, metrics }: OpsOptions): Promise<void> {
  const path = (request.url ?? "/").split("?")[0]
  if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, "text/plain", "GET only\n")
  if (path === "/healthz") return send(response, 200, "application/json", JSON.stringify({ status: "ok" }))
  if (path === "/readyz") {
    const checks = await readiness()
    if (isReady(checks)) return send(response, 200, "application/json", JSON.stringify({ status: "ready", checks }))
    const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name)
    return send(response, 503, "application/problem+json", JSON.stringify({
      type: "about:blank", title: "Service Unavailable", status: 503, detail: `not ready: ${failing.join(", ")}`, checks,
    }))
  }
  if (path === "/metrics") return send(response, 200, registry.contentType, await (metrics ? metrics() : registry.metrics()))
  return send(response, 404, "text/plain", "not found: the ops port serves /healthz, /readyz and /metrics\n")
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" })
  response.end(body)
}
