// CI's check that the console and the edge cannot drift: the console's committed API types are exactly what the
// edge's OpenAPI document generates today (run `npm run gen:api` after changing a route's schema).
import { expect, it } from "vitest"
import { staleFiles } from "../scripts/genApi.ts"

it("ui/src/api/generated matches the edge's OpenAPI document", async () => {
  expect(await staleFiles()).toEqual([])
}, 120_000)
