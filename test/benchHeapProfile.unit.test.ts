// The heap profile reader behind `npm run bench:profile -- --heap`: a function's own bytes over every stack it is on.
import { describe, expect, it } from "vitest"
import { allocations, type HeapProfile } from "../bench/profile/heapProfile.ts"

type Node = HeapProfile["head"]
const frame = (functionName: string, url: string, selfSize: number, children: ReadonlyArray<Node> = []): Node =>
  ({ callFrame: { functionName, url, lineNumber: 9 }, selfSize, children })

describe("allocations of a sampling heap profile", () => {
  it("sums each function's own bytes over its stacks, by function and by area", () => {
    const ours = `file://${process.cwd()}/src/commands/eventStore/eventStore.ts`
    const profile: HeapProfile = {
      head: frame("(root)", "", 0, [
        frame("append", ours, 3_000, [frame("publish", `file://${process.cwd()}/node_modules/@nats-io/nats-core/lib/protocol.js`, 1_000)]),
        frame("handle", "node:_http_server", 500, [frame("append", ours, 1_000)]),
        frame("(V8 API)", "", 500),
      ]),
    }
    const allocated = allocations(profile)
    expect(allocated.bytes).toBe(6_000)
    expect(allocated.functions[0]).toEqual({ name: "append  src/commands/eventStore/eventStore.ts:10", bytes: 4_000, percent: 66.7 })
    expect(Object.fromEntries(allocated.areas.map((a) => [a.name, a.bytes]))).toEqual({
      "src/commands/eventStore": 4_000, "@nats-io/nats-core": 1_000, "node internals": 500, "(V8 / native)": 500,
    })
  })
})
