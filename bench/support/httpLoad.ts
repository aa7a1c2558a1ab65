// The bench's HTTP load generator: a fixed number of keep-alive connections, each sending one request after the
// other for a fixed time (closed loop), over loopback. node:http with a bounded Agent keeps the connection count exact.
import { Agent, request } from "node:http"
import { closedLoop, type Measurement } from "./measure.ts"

export interface HttpRequestSpec {
  readonly method?: string
  /** Path and query, e.g. "/payments". */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  /** JSON-encoded when it is not a string. */
  readonly body?: unknown
}

export interface HttpLoadOptions {
  /** The origin, e.g. http://127.0.0.1:8080. */
  readonly origin: string
  /** The n-th request (n counts up from 0), so each may carry its own idempotency key. */
  readonly request: (n: number) => HttpRequestSpec
  readonly connections: number
  readonly durationMs: number
  readonly warmupMs?: number
  /** Which statuses count as success (default 2xx). */
  readonly ok?: (status: number) => boolean
  readonly signal?: AbortSignal
  readonly onTick?: (elapsedMs: number) => void
}

export async function httpLoad(options: HttpLoadOptions): Promise<Measurement> {
  const { hostname, port } = new URL(options.origin)
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections })
  const ok = options.ok ?? ((status: number) => status >= 200 && status < 300)
  try {
    return await closedLoop({
      unit: "req",
      concurrency: options.connections,
      durationMs: options.durationMs,
      ...(options.warmupMs !== undefined ? { warmupMs: options.warmupMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTick ? { onTick: options.onTick } : {}),
      op: (n) => send(agent, hostname, Number(port), options.request(n), ok),
    })
  } finally {
    agent.destroy()
  }
}

function send(agent: Agent, host: string, port: number, spec: HttpRequestSpec, ok: (status: number) => boolean) {
  const payload = spec.body === undefined ? undefined : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body)
  const headers: Record<string, string> = { ...spec.headers }
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json"
    headers["content-length"] = String(Buffer.byteLength(payload))
  }
  return new Promise<number>((resolve, reject) => {
    const req = request({ agent, host, port, method: spec.method ?? "GET", path: spec.path, headers }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => {
        const status = res.statusCode ?? 0
        if (ok(status)) resolve(status)
        else reject(new Error(`HTTP ${status} ${spec.method ?? "GET"} ${spec.path}: ${Buffer.concat(chunks).toString("utf8").slice(0, 200)}`))
      })
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end(payload)
  })
}
