import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { readSettings } from "./config.ts"

const read = (env: Record<string, string>) => Effect.runPromise(Effect.result(readSettings(env)))
const failure = async (env: Record<string, string>) => {
  const r = await read(env)
  if (Result.isSuccess(r)) throw new Error("expected a configuration error")
  return r.failure.message
}

describe("configuration", () => {
  it("has working defaults for development", async () => {
    const r = await read({})
    expect(Result.isSuccess(r) && r.success).toMatchObject({ env: "development", port: 8080, namespace: "ak", natsUrl: "nats://127.0.0.1:4222" })
  })

  it("names the variable in one line when a value is bad", async () => {
    expect(await failure({ PORT: "eighty" })).toMatch(/^PORT: /)
    expect(await failure({ APP_NAMESPACE: "Has-Dashes" })).toMatch(/^APP_NAMESPACE: /)
    expect(await failure({ LOG_LEVEL: "loud" })).toMatch(/^LOG_LEVEL: /)
    expect(await failure({ PUBLIC_REGISTRATION: "maybe" })).toMatch(/^PUBLIC_REGISTRATION: /)
    for (const message of [await failure({ PORT: "eighty" })]) expect(message).not.toContain("\n")
  })

  it("refuses to start in production without its secrets", async () => {
    expect(await failure({ NODE_ENV: "production" })).toMatch(/JWT_SECRET, DEVICE_TOKEN_KEY must be set/)
    expect(await failure({ NODE_ENV: "production", JWT_SECRET: "short", DEVICE_TOKEN_KEY: "k".repeat(40) })).toMatch(/JWT_SECRET must be at least 32/)
  })

  it("takes secrets from the environment and keeps them redacted", async () => {
    const r = await read({ NODE_ENV: "production", JWT_SECRET: "s".repeat(40), DEVICE_TOKEN_KEY: "k".repeat(40) })
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(Redacted.value(r.success.jwtSecret)).toBe("s".repeat(40))
    expect(String(r.success.jwtSecret)).not.toContain("s".repeat(40))
  })
})
