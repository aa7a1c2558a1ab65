// One fixture for every integration test: settings pointing at the run's services, under a fresh namespace.
import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import { inject } from "vitest"
import { type AppSettings, readSettings } from "../../src/platform/index.ts"

/** A namespace no other test file shares; the global teardown drops everything under the run prefix. */
export const freshNamespace = () => `${inject("runPrefix")}_${randomBytes(4).toString("hex")}`

export const testEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: "test",
  NATS_URL: inject("natsUrl"),
  DATABASE_URL: inject("databaseUrl"),
  APP_NAMESPACE: freshNamespace(),
  LOG_LEVEL: "warn",
  // Processes started from these settings serve their ops port on a port the OS picks.
  METRICS_PORT: "0",
  ...overrides,
})

export const testSettings = (overrides: Record<string, string> = {}): Promise<AppSettings> =>
  Effect.runPromise(readSettings(testEnv(overrides)))
