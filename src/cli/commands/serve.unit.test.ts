// `serve --roles`: which roles run, in which order (read side first, edge last), and clear errors for typos.
import { describe, expect, it } from "vitest"
import { UsageError } from "../command.ts"
import { parseRoles } from "./serve.ts"

describe("parseRoles", () => {
  it("runs every role by default, the edge last", () => {
    expect(parseRoles("all")).toEqual(["projector", "notifier", "offline-detector", "forecaster", "sealer", "reconciler", "edge"])
  })

  it("keeps the start order whatever order the roles are named in", () => {
    expect(parseRoles("edge,projector")).toEqual(["projector", "edge"])
    expect(parseRoles(" edge ")).toEqual(["edge"])
  })

  it("knows the worker group", () => {
    expect(parseRoles("worker")).toEqual(["notifier", "offline-detector", "forecaster", "sealer", "reconciler"])
    expect(parseRoles("edge,worker")).toEqual(["notifier", "offline-detector", "forecaster", "sealer", "reconciler", "edge"])
    expect(parseRoles("forecaster")).toEqual(["forecaster"])
  })

  it("refuses unknown or empty role lists", () => {
    expect(() => parseRoles("edge,projectr")).toThrow(UsageError)
    expect(() => parseRoles("edge,projectr")).toThrow(/unknown role projectr/)
    expect(() => parseRoles(",")).toThrow(UsageError)
  })
})
