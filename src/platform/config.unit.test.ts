import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { DEVELOPMENT_KEYS, readSettings, weakProductionKey } from "./config.ts"

// Generated once with `openssl rand -base64 32`; only ever used by these tests.
const jwtKey = "q0v8Gf3mZ1uXo5kR2wYbN7cH4tLe9sPj6aDiUxQzVnE="
const deviceKey = "Hn4rT8yW2pLc6vXb0mQe5kJz9sAf3gUd7iOxNwRqBtY="
const auditKey = "Zr7pK2mX9qLw4bNc8vTe1yHs6dGf0jUa3iOkQxRtBnM="

const read = (env: Record<string, string>) => Effect.runPromise(Effect.result(readSettings(env)))
const failure = async (env: Record<string, string>) => {
  const r = await read(env)
  if (Result.isSuccess(r)) throw new Error("expected a configuration error")
  return r.failure.message
}

describe("configuration", () => {
  it("has working defaults for development", async () => {
    const r = await read({})
    expect(Result.isSuccess(r) && r.success).toMatchObject({ env: "development", port: 8080, namespace: "ak", natsUrl: "nats://127.0.0.1:4222", kioskForwardWindowDays: 90 })
  })

  it("names the variable in one line when a value is bad", async () => {
    expect(await failure({ PORT: "eighty" })).toMatch(/^PORT: /)
    expect(await failure({ APP_NAMESPACE: "Has-Dashes" })).toMatch(/^APP_NAMESPACE: /)
    expect(await failure({ LOG_LEVEL: "loud" })).toMatch(/^LOG_LEVEL: /)
    expect(await failure({ PUBLIC_REGISTRATION: "maybe" })).toMatch(/^PUBLIC_REGISTRATION: /)
    expect(await failure({ KIOSK_FORWARD_WINDOW_DAYS: "0" })).toMatch(/^KIOSK_FORWARD_WINDOW_DAYS: /)
    for (const message of [await failure({ PORT: "eighty" })]) expect(message).not.toContain("\n")
  })

  it("reads the ops port and the stream replicas, within their ranges", async () => {
    expect(await read({})).toMatchObject({ success: { metricsPort: 9464, streamReplicas: 1 } })
    expect(await read({ METRICS_PORT: "0", STREAM_REPLICAS: "3" })).toMatchObject({ success: { metricsPort: 0, streamReplicas: 3 } })
    expect(await failure({ METRICS_PORT: "70000" })).toMatch(/^METRICS_PORT: /)
    expect(await failure({ STREAM_REPLICAS: "0" })).toMatch(/^STREAM_REPLICAS: /)
    expect(await failure({ STREAM_REPLICAS: "7" })).toMatch(/^STREAM_REPLICAS: /)
  })

  it("refuses to start in production without its secrets", async () => {
    expect(await failure({ NODE_ENV: "production" })).toBe("JWT_SECRET, DEVICE_TOKEN_KEY, AUDIT_KEY: must be set when NODE_ENV=production")
    expect(await failure({ NODE_ENV: "production", DEVICE_TOKEN_KEY: deviceKey, AUDIT_KEY: auditKey })).toMatch(/^JWT_SECRET: must be set/)
    expect(await failure({ NODE_ENV: "production", JWT_SECRET: jwtKey, DEVICE_TOKEN_KEY: deviceKey })).toMatch(/^AUDIT_KEY: must be set/)
    expect(await failure({ NODE_ENV: "production", JWT_SECRET: jwtKey, DEVICE_TOKEN_KEY: deviceKey, AUDIT_KEY: deviceKey }))
      .toBe("AUDIT_KEY: must differ from DEVICE_TOKEN_KEY; give each key its own value")
  })

  it("takes secrets from the environment and keeps them redacted", async () => {
    const r = await read({ NODE_ENV: "production", JWT_SECRET: jwtKey, DEVICE_TOKEN_KEY: deviceKey, AUDIT_KEY: auditKey })
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(Redacted.value(r.success.jwtSecret)).toBe(jwtKey)
    expect(Redacted.value(r.success.auditKey)).toBe(auditKey)
    expect(Redacted.value(r.success.deviceTokenKey)).toBe(deviceKey)
    expect(String(r.success.jwtSecret)).not.toContain(jwtKey)
  })

  it("gives development its published keys when none are set", async () => {
    const r = await read({})
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(DEVELOPMENT_KEYS).toContain(Redacted.value(r.success.jwtSecret))
    expect(DEVELOPMENT_KEYS).toContain(Redacted.value(r.success.deviceTokenKey))
    expect(Redacted.value(r.success.jwtSecret)).not.toBe(Redacted.value(r.success.deviceTokenKey))
    expect(DEVELOPMENT_KEYS).toContain(Redacted.value(r.success.auditKey))
  })

  it("reads the audit key id and the retired audit keys still verified after a rotation", async () => {
    const r = await read({ AUDIT_KEY_ID: "2027-01", AUDIT_KEYS_PREVIOUS: `k1:${jwtKey}, 2026-06:${deviceKey}` })
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(r.success.auditKeyId).toBe("2027-01")
    expect([...r.success.auditKeysPrevious.keys()]).toEqual(["k1", "2026-06"])
    expect(Redacted.value(r.success.auditKeysPrevious.get("2026-06")!)).toBe(deviceKey)
    expect(await failure({ AUDIT_KEYS_PREVIOUS: jwtKey })).toBe("AUDIT_KEYS_PREVIOUS: entry 1 is not id:key")
    expect(await failure({ AUDIT_KEYS_PREVIOUS: `k1:${jwtKey}` })).toMatch(/^AUDIT_KEYS_PREVIOUS: key id k1 appears twice/)
    expect(await failure({ AUDIT_KEY_ID: "has space" })).toMatch(/^AUDIT_KEY_ID: /)
  })
})

describe("production keys", () => {
  const check = (jwt: string | undefined, device: string | undefined = deviceKey) =>
    weakProductionKey([{ variable: "JWT_SECRET", value: jwt }, { variable: "DEVICE_TOKEN_KEY", value: device }])

  it("accepts generated keys that differ", () => expect(check(jwtKey)).toBeUndefined())

  it("names the first weak key and why, in one line that never shows the value", () => {
    const refusals: ReadonlyArray<readonly [string, RegExp]> = [
      ["short", /^JWT_SECRET: must be at least 32 characters when NODE_ENV=production \(it has 5\)$/],
      ["a".repeat(32), /^JWT_SECRET: is too easy to guess \(about 0 bits, at least 80 needed\)/],
      ["abcd".repeat(10), /^JWT_SECRET: is too easy to guess/],
      ["0123456789".repeat(4), /^JWT_SECRET: is too easy to guess/],
      ["CHANGE_ME_TO_48_RANDOM_BYTES_BASE64_xxxxxxxxxxxxxxxx", /^JWT_SECRET: is a placeholder/],
      ...DEVELOPMENT_KEYS.map((published) => [published, /^JWT_SECRET: is a published development value/] as const),
    ]
    for (const [value, reason] of refusals) {
      const message = check(value)
      expect(message, value).toMatch(reason)
      expect(message).not.toContain(value)
      expect(message).not.toContain("\n")
    }
  })

  it("refuses the same value for two keys, naming the second", () =>
    expect(check(deviceKey, deviceKey)).toBe("DEVICE_TOKEN_KEY: must differ from JWT_SECRET; give each key its own value"))

  it("checks any number of keys the same way (AUDIT_KEY and later ones)", () => {
    const keys = [
      { variable: "JWT_SECRET", value: jwtKey }, { variable: "DEVICE_TOKEN_KEY", value: deviceKey }, { variable: "AUDIT_KEY", value: jwtKey },
    ]
    expect(weakProductionKey(keys)).toBe("AUDIT_KEY: must differ from JWT_SECRET; give each key its own value")
    expect(weakProductionKey([{ variable: "AUDIT_KEY", value: "x".repeat(40) }])).toMatch(/^AUDIT_KEY: is too easy to guess/)
  })
})
