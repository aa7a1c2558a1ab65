// The write side wired for a test: settings under a fresh namespace, a NATS connection and the event store.
import { Effect, ManagedRuntime } from "effect"
import { EventStore, type WriteSide, writeSideLayer } from "../../src/commands/index.ts"
import type { AppSettings } from "../../src/platform/index.ts"
import { testSettings } from "./settings.ts"

export async function commandRuntime(settingsOrOverrides: AppSettings | Record<string, string> = {}) {
  const settings = "namespace" in settingsOrOverrides && "natsUrl" in settingsOrOverrides
    ? settingsOrOverrides as AppSettings
    : await testSettings(settingsOrOverrides as Record<string, string>)
  const runtime = ManagedRuntime.make(writeSideLayer(settings, "test"))
  const run = <A, E>(effect: Effect.Effect<A, E, WriteSide>) => runtime.runPromise(effect)
  /** Runs and returns success or the typed failure, for asserting refusals. */
  const attempt = <A, E>(effect: Effect.Effect<A, E, WriteSide>) => runtime.runPromise(Effect.result(effect))
  const store = await run(EventStore)
  return { settings, runtime, run, attempt, store, dispose: () => runtime.dispose() }
}
