// The load generator, run as its own process: `node bench/load/loadProcess.ts SPEC.json RESULT.json`.
// Throughput runs use autocannon; fixed-rate and fresh-address runs use node:http (see LoadSpec's `driver`).
import { readFile, writeFile } from "node:fs/promises"
import { Agent, request as httpRequest } from "node:http"
import { performance } from "node:perf_hooks"
import autocannon from "autocannon"
import { type HttpRequest, paymentIdIn, requestMaker } from "./requests.ts"
import type { LoadResult, LoadSpec } from "./spec.ts"

const ANSWER_TIMEOUT_MS = 10_000

function makeRecorder(spec: LoadSpec) {
  const statusCodes: Record<string, number> = {}
  const latencyMs: Array<number> = []
  const paymentIds: Array<string> = []
  const perKiosk = spec.request.kind === "payments" ? new Uint32Array(spec.request.kiosks.length) : undefined
  const recordIds = spec.request.kind === "payments" && spec.request.recordIds
  let requests = 0
  let ok = 0
  let errors = 0
  let firstError: string | undefined
  return {
    sent(request: HttpRequest) {
      if (perKiosk && request.kiosk !== undefined) perKiosk[request.kiosk]!++
    },
    answered(status: number, ms: number, body: string | undefined) {
      requests++
      statusCodes[status] = (statusCodes[status] ?? 0) + 1
      if (status < 200 || status > 299) {
        firstError ??= `HTTP ${status}: ${body?.slice(0, 300) ?? ""}`
        return
      }
      ok++
      latencyMs.push(Math.round(ms * 1000) / 1000)
      if (recordIds && body !== undefined) {
        const id = paymentIdIn(body)
        if (id !== undefined) paymentIds.push(id)
      }
    },
    failed(error: unknown) {
      errors++
      firstError ??= error instanceof Error ? error.message : String(error)
    },
    result(seconds: number): LoadResult {
      return {
        driver: spec.driver, requests, ok, statusCodes, errors, seconds, latencyMs,
        ...(firstError !== undefined ? { firstError } : {}),
        ...(recordIds ? { paymentIds } : {}),
        ...(perKiosk ? { maxPerKiosk: perKiosk.reduce((a, b) => Math.max(a, b), 0) } : {}),
      }
    },
  }
}
type Recorder = ReturnType<typeof makeRecorder>

async function withAutocannon(spec: LoadSpec, recorder: Recorder): Promise<number> {
  const make = requestMaker(spec.request, spec.tag)
  let n = 0
  const pending: Array<string | undefined> = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: spec.origin,
      connections: spec.connections,
      duration: spec.durationSeconds,
      timeout: ANSWER_TIMEOUT_MS / 1000,
      requests: [{
        setupRequest: (req) => {
          const next = make(n++)
          recorder.sent(next)
          return { ...req, method: next.method, path: next.path, headers: next.headers, ...(next.body !== undefined ? { body: next.body } : {}) }
        },
        // Called with the body just before autocannon's own "response" event for the same answer.
        onResponse: (_status: number, body: string) => { pending.push(body) },
      }],
    }, (error, done) => (error ? reject(error) : resolve(done)))
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) =>
      recorder.answered(status, ms, pending.shift()))
    instance.on("reqError", (error: unknown) => recorder.failed(error))
  })
  return result.duration
}

function send(request: HttpRequest, target: { host: string; port: number; agent?: Agent; localAddress?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers }
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body))
    if (target.agent === undefined) headers.connection = "close"
    const req = httpRequest({
      host: target.host, port: target.port, method: request.method, path: request.path, headers,
      ...(target.agent ? { agent: target.agent } : { agent: false, localAddress: target.localAddress }),
      timeout: ANSWER_TIMEOUT_MS,
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
      res.on("error", reject)
    })
    req.on("timeout", () => req.destroy(new Error("no answer within the timeout")))
    req.on("error", reject)
    req.end(request.body)
  })
}

/** Open loop: request i is due at start + i / rate, whatever happened to the ones before it. */
async function paced(spec: LoadSpec, recorder: Recorder, warmup: Recorder): Promise<number> {
  const { hostname: host, port } = new URL(spec.origin)
  const target = { host, port: Number(port), agent: new Agent({ keepAlive: true, maxSockets: spec.connections }) }
  const rate = spec.ratePerSecond ?? 100
  // A fresh process compiles its hot code a few seconds in, on this machine's two cores, and so does a freshly
  // started server: a tail of ~100 ms that is no one's steady state. The same load first, unmeasured, on the same
  // connections, warms both ends; its answers still count in the status codes and payment ids the checks read.
  if (spec.warmupSeconds !== undefined) await pacedPhase(target, rate, spec.warmupSeconds, requestMaker(spec.request, `${spec.tag}-warmup`), warmup)
  await pacedPhase(target, rate, spec.durationSeconds, requestMaker(spec.request, spec.tag), recorder)
  target.agent.destroy()
  return spec.durationSeconds
}

async function pacedPhase(target: { host: string; port: number; agent: Agent }, rate: number, seconds: number, make: (n: number) => HttpRequest, recorder: Recorder) {
  const total = Math.round(rate * seconds)
  const inFlight: Array<Promise<void>> = []
  const start = performance.now()
  for (let i = 0; i < total;) {
    const now = performance.now()
    // Send everything that is due (a late timer catches up instead of thinning the load).
    for (; i < total && start + (i * 1000) / rate <= now; i++) {
      const due = start + (i * 1000) / rate
      const request = make(i)
      recorder.sent(request)
      inFlight.push(send(request, target).then(
        ({ status, body }) => recorder.answered(status, performance.now() - due, body),
        (error: unknown) => recorder.failed(error),
      ))
    }
    const nextDue = start + (i * 1000) / rate
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDue - performance.now())))
  }
  await Promise.all(inFlight)
}

/** Closed loop, each request on a new connection from the next loopback address (127.1.0.1, 127.1.0.2, …). */
async function freshAddress(spec: LoadSpec, recorder: Recorder): Promise<number> {
  const { hostname: host, port } = new URL(spec.origin)
  const make = requestMaker(spec.request, spec.tag)
  const start = performance.now()
  const end = start + spec.durationSeconds * 1000
  let n = 0
  const worker = async () => {
    while (performance.now() < end) {
      const i = n++
      const request = make(i)
      const localAddress = `127.${1 + (Math.floor(i / 64_516) % 250)}.${Math.floor(i / 254) % 254}.${1 + (i % 254)}`
      const t0 = performance.now()
      recorder.sent(request)
      await send(request, { host, port: Number(port), localAddress }).then(
        ({ status, body }) => recorder.answered(status, performance.now() - t0, body),
        (error: unknown) => recorder.failed(error),
      )
    }
  }
  await Promise.all(Array.from({ length: spec.connections }, worker))
  return (performance.now() - start) / 1000
}

/** What the checks need of a warm-up: its answers' status codes and payment ids, not its latencies. */
function warmupPart({ requests, statusCodes, errors, paymentIds }: LoadResult) {
  return { requests, statusCodes, errors, ...(paymentIds !== undefined ? { paymentIds } : {}) }
}

const DRIVERS = { autocannon: withAutocannon, paced, "fresh-address": freshAddress } as const

const [specFile, resultFile] = process.argv.slice(2)
if (specFile === undefined || resultFile === undefined) throw new Error("usage: loadProcess.ts SPEC.json RESULT.json")
const spec = JSON.parse(await readFile(specFile, "utf8")) as LoadSpec
const recorder = makeRecorder(spec)
const warmup = makeRecorder(spec)
const seconds = await DRIVERS[spec.driver](spec, recorder, warmup)
const result: LoadResult = {
  ...recorder.result(seconds),
  ...(spec.warmupSeconds !== undefined ? { warmup: warmupPart(warmup.result(spec.warmupSeconds)) } : {}),
}
await writeFile(resultFile, JSON.stringify(result))
