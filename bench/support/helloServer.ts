// A Fastify hello-world in a worker thread: the HTTP ceiling with the server on its own event loop, so the load
// generator (main thread) and the server don't share one, as with a real server process.
import { isMainThread, parentPort, Worker } from "node:worker_threads"
import { once } from "node:events"

if (!isMainThread && parentPort) {
  const { default: Fastify } = await import("fastify")
  const app = Fastify({ logger: false })
  app.get("/hello", async () => ({ hello: "world" }))
  const origin = await app.listen({ host: "127.0.0.1", port: 0 })
  const port = parentPort
  port.on("message", (msg) => {
    if (msg === "close") void app.close().then(() => port.postMessage("closed"))
  })
  port.postMessage({ origin })
}

/** Starts the hello server; resolves with its origin and a `close`. */
export async function startHelloServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url))
  const [ready] = (await Promise.race([once(worker, "message"), once(worker, "error").then(([e]) => { throw e })])) as [{ origin: string }]
  return {
    origin: ready.origin,
    close: async () => {
      worker.postMessage("close")
      await once(worker, "message")
      await worker.terminate()
    },
  }
}
