// The projections named in usage texts (kept as a string so that --help loads no read-side code) are the real ones.
import { expect, it } from "vitest"
import { PROJECTION_NAMES } from "../projections/index.ts"
import { PROJECTION_LIST } from "./readSide.ts"

it("the usage texts' list of projections is the catalogue's", () => {
  expect(PROJECTION_LIST).toBe(PROJECTION_NAMES.join(", "))
})
