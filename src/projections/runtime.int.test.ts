// The read side as the composition root uses it: projectors as a scoped Effect resource, status, rebuild.
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Nats, Settings } from "../platform/index.ts"
import { readCheckpoint } from "./engine/checkpoints.ts"
import { awaitProjection, Db, rebuild, runProjectors, status } from "./index.ts"
import { appendPayments, readSideFixture, type ReadFixture } from "../../test/support/projections/fixture.ts"

describe("read side runtime", () => {
  let f: ReadFixture
  beforeAll(async () => { f = await readSideFixture() })
  afterAll(async () => { await f.dispose() })
  const layer = () => Layer.mergeAll(Db.layerFrom(f.db), Nats.layerFrom(f.nats), Layer.succeed(Settings)(f.settings))

  it("runs projectors for the life of a scope, reports status, rebuilds and refuses unknown names", async () => {
    const [payment] = await appendPayments(f, 1)
    const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const running = yield* runProjectors({ only: ["payments", "kiosks"] })
      yield* awaitProjection("payments", payment!.seq, 15_000)
      return { names: running.names, status: yield* status(["payments"]) }
    })).pipe(Effect.provide(layer())))
    expect(outcome.names).toEqual(["payments", "kiosks"])
    expect(outcome.status).toEqual([expect.objectContaining({ name: "payments", checkpoint: payment!.seq, lag: 0 })])

    // The scope closed: the projectors stopped, so a new payment stays unapplied…
    const [later] = await appendPayments(f, 1, { from: 1 })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await readCheckpoint(f.db.db, "payments")).toBe(payment!.seq)
    // …until a rebuild brings the model to the stream's end.
    const [result] = await Effect.runPromise(rebuild("payments").pipe(Effect.provide(layer())))
    expect(result).toMatchObject({ projection: "payments", events: 2, checkpoint: later!.seq })

    const unknown = await Effect.runPromise(Effect.result(rebuild("nope")).pipe(Effect.provide(layer())))
    expect(unknown._tag === "Failure" && unknown.failure._tag).toBe("UnknownProjection")
  })
})
