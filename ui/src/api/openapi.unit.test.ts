import { describe, expect, it } from "vitest"
import { missingEndpoints } from "./openapi.ts"

describe("missingEndpoints", () => {
  it("matches methods and paths, whatever the path parameters are called", () => {
    const document = { paths: { "/kiosks/{kioskId}": { get: {}, patch: {} }, "/kiosks": { get: {} } } }
    const table = {
      kiosk: { method: "GET", path: "/kiosks/:id" },
      updateKiosk: { method: "PATCH", path: "/kiosks/:id" },
      kiosks: { method: "GET", path: "/kiosks" },
      registerKiosk: { method: "POST", path: "/kiosks" },
      unassign: { method: "POST", path: "/kiosks/:id/unassign" },
    } as const
    expect(missingEndpoints(document, table)).toEqual(["registerKiosk: POST /kiosks", "unassign: POST /kiosks/:id/unassign"])
  })
})
