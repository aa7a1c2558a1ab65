// Provisioning's rule for a stream that exists: back to the specification, never lower than what is there.
import { describe, expect, it } from "vitest"
import { describeReconciled, reconcileStream } from "./streamConfig.ts"

const DAY = 86_400_000_000_000 // nanoseconds

describe("reconcileStream", () => {
  it("changes nothing on a stream that matches its specification", () => {
    const spec = { num_replicas: 1, max_age: 7 * DAY, description: "heartbeats" }
    const r = reconcileStream(spec, spec)
    expect(r).toEqual({ update: undefined, kept: [], changed: [] })
    expect(describeReconciled("AK_TELEMETRY", r)).toBeUndefined()
  })

  it("keeps replicas set by hand above STREAM_REPLICAS", () => {
    const r = reconcileStream({ num_replicas: 3, description: "old" }, { num_replicas: 1, description: "new" })
    expect(r.update).toEqual({ num_replicas: 3, description: "new" })
    expect(r.kept).toEqual(["num_replicas 3 (spec 1)"])
    expect(describeReconciled("AK_PAYMENTS", r)).toBe(
      "stream AK_PAYMENTS differs from its specification: updated description; kept above the specification: num_replicas 3 (spec 1)")
  })

  it("raises replicas and limits up to the specification", () => {
    const r = reconcileStream({ num_replicas: 1, max_msgs_per_subject: 5 }, { num_replicas: 3, max_msgs_per_subject: 25_000 })
    expect(r.update).toEqual({ num_replicas: 3, max_msgs_per_subject: 25_000 })
    expect(r.kept).toEqual([])
    expect(r.changed).toEqual(["num_replicas", "max_msgs_per_subject"])
  })

  it("keeps a looser limit, and treats 0 or -1 as no limit at all", () => {
    expect(reconcileStream({ max_age: 30 * DAY }, { max_age: 7 * DAY }).update).toBeUndefined()
    expect(reconcileStream({ max_age: 0 }, { max_age: 7 * DAY }).kept).toEqual([`max_age 0 (spec ${7 * DAY})`])
    expect(reconcileStream({ max_msgs: -1 }, { max_msgs: 1_000 }).update).toBeUndefined()
    // The specification removing a limit is looser still: it applies.
    expect(reconcileStream({ max_age: 7 * DAY }, { max_age: 0 }).update).toEqual({ max_age: 0 })
  })
})
