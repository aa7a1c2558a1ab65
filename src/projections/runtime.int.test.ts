// The read side as the composition root uses it: projectors started on the read side a runtime provides, stopped,
// status, rebuild.
import { Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Nats, Settings } from "../platform/index.ts"
import { readCheckpoint } from "./engine/checkpoints.ts"
import { awaitProjection, Db, projectionsStatus, readSideDeps, rebuildProjections, startProjectors } from "./index.ts"
import { appendPayments, readSideFixture, type ReadFixture } from "../../test/support/projections/fixture.ts"

describe("read side runtime", () => {
  let f: ReadFixture
  let runtime: ManagedRuntime.ManagedRuntime<Db | Nats | Settings, never>
  beforeAll(async () => {
    f = await readSideFixture()
    runtime = ManagedRuntime.make(Layer.mergeAll(Db.layerFrom(f.db), Nats.layerFrom(f.nats), Layer.succeed(Settings)(f.settings)))
  })
  afterAll(async () => {
    await runtime?.dispose()
    await f.dispose()
  })

  it("runs projectors until stopped, reports status, rebuilds and refuses unknown names", async () => {
    const [payment] = await appendPayments(f, 1)
    const deps = await runtime.runPromise(readSideDeps)
    const running = await startProjectors(deps, { only: ["payments", "kiosks"] })
    let status
    try {
      await runtime.runPromise(awaitProjection("payments", payment!.seq, 15_000))
      status = await projectionsStatus(deps, ["payments"])
    } finally {
      await running.stop()
    }
    expect(running.names).toEqual(["payments", "kiosks"])
    expect(status).toEqual([expect.objectContaining({ name: "payments", checkpoint: payment!.seq, lag: 0 })])

    // The projectors stopped, so a new payment stays unapplied…
    const [later] = await appendPayments(f, 1, { from: 1 })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await readCheckpoint(f.db.db, "payments")).toBe(payment!.seq)
    // …until a rebuild brings the model to the stream's end.
    const [result] = await rebuildProjections(deps, "payments")
    expect(result).toMatchObject({ projection: "payments", events: 2, checkpoint: later!.seq })

    await expect(rebuildProjections(deps, "nope")).rejects.toMatchObject({ _tag: "UnknownProjection" })
  })
})
