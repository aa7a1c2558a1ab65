// A kiosk's payment over HTTP, the whole write path: device-token check, kiosk state load, decide, append to
// JetStream with optimistic concurrency, answer. Measured against the Fastify hello-world ceiling (the HTTP part)
// and reported with the JetStream ceiling in its notes (the append part).
import { Effect, ManagedRuntime } from "effect"
import { registerKiosk, writeSideLayer } from "../../src/commands/index.ts"
import { openEdge } from "../../src/edge/compose.ts"
import { readSettings } from "../../src/platform/config.ts"
import { defineScenario, type Measurement } from "../scenario.ts"
import { httpLoad } from "../support/httpLoad.ts"

const KIOSKS = 16

export default defineScenario({
  name: "record payment via HTTP",
  ceiling: "httpHello",
  async run(ctx): Promise<Measurement> {
    const settings = await Effect.runPromise(readSettings(ctx.env))
    const runtime = ManagedRuntime.make(writeSideLayer(settings, "bench"))
    // The bench is the only client: per-kiosk rate limits would measure the limiter, not the path.
    const edge = await openEdge(settings, { limits: { kioskPerMinute: 1_000_000_000 } })
    try {
      ctx.note(`registering ${KIOSKS} kiosks`)
      const context = { actor: { kind: "system", name: "bench" }, correlationId: "bench" } as const
      const kiosks = await runtime.runPromise(Effect.forEach(Array.from({ length: KIOSKS }, (_, i) => i), (i) =>
        registerKiosk({ code: `BENCH-${String(i).padStart(4, "0")}`, name: `Bench ${i}`, location: "" }, context)))
      const origin = await edge.app.listen({ host: "127.0.0.1", port: 0 })
      ctx.note("posting payments")
      const result = await httpLoad({
        origin,
        connections: ctx.connections,
        durationMs: ctx.durationMs,
        signal: ctx.signal,
        onTick: ctx.tick,
        request: (n) => {
          const { kiosk, deviceToken } = kiosks[n % KIOSKS]!
          return {
            method: "POST",
            path: "/payments",
            headers: { authorization: `Bearer ${deviceToken}`, "idempotency-key": `bench-${n}`, "content-type": "application/json" },
            body: { kiosk_id: kiosk.id, amount: 100 + (n % 5000), currency: "EUR" },
          }
        },
      })
      const jetstream = ctx.ceilings.jetstreamPublish.perSecond
      return { ...result, notes: { ...result.notes, kiosks: KIOSKS, ratioToJetStreamCeiling: Math.round((result.perSecond / jetstream) * 1000) / 1000 } }
    } finally {
      await edge.close()
      await runtime.dispose()
    }
  },
})
