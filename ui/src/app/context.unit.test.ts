import { describe, expect, it } from "vitest"
import { safeNext } from "../pages/Login.tsx"
import { appPath } from "./base.ts"
import { loginPathFor } from "./context.tsx"

describe("the way back after login", () => {
  it("remembers the page (router-relative) and whether the session expired", () => {
    expect(loginPathFor("/kiosks?status=offline")).toBe("/login?next=%2Fkiosks%3Fstatus%3Doffline")
    expect(loginPathFor("/payments", true)).toBe("/login?next=%2Fpayments&expired=1")
    expect(loginPathFor("/")).toBe("/login")
    expect(loginPathFor("/login?next=%2Fx")).toBe("/login")
    expect(appPath("/console/kiosks/kio_1", "/console")).toBe("/kiosks/kio_1")
    expect(appPath("/console", "/console")).toBe("/")
    expect(appPath("/kiosks", "")).toBe("/kiosks")
  })
  it("only goes back to a page of this console", () => {
    expect(safeNext("/kiosks?status=offline")).toBe("/kiosks?status=offline")
    for (const next of ["//evil.example/x", "https://evil.example", "/login", undefined, ["/a"]]) expect(safeNext(next)).toBe("/")
  })
})
