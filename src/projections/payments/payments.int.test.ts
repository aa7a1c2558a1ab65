import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { paymentsProjection } from "./projector.ts"
import { startProjector } from "../engine/projector.ts"
import { readCheckpoint } from "../engine/checkpoints.ts"
import { appendPayments, readSideFixture, type ReadFixture, snapshot } from "../testing/fixture.ts"
import { waitForCheckpoint } from "../query/freshness.ts"
import { lastSequence } from "../engine/streamReader.ts"

describe("payments projection", () => {
  let f: ReadFixture
  beforeAll(async () => { f = await readSideFixture() })
  afterAll(async () => { await f.dispose() })

  it("projects payments once each", async () => {
    await appendPayments(f, 300)
    const last = await lastSequence(f.deps.nats.jsm, f.names.stream("PAYMENTS"))
    const projector = await startProjector(paymentsProjection, f.deps)
    try {
      expect(await waitForCheckpoint(f.db.db, "payments", last, 20_000)).toBe(last)
    } finally {
      await projector.stop()
    }
    const rows = await snapshot(f.db, ["payments", "kiosk_daily_sales"])
    expect(rows.payments).toHaveLength(300)
    expect(await readCheckpoint(f.db.db, "payments")).toBe(last)
  })
})
