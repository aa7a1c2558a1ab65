// The write side wired for a test: settings under a fresh namespace, a NATS connection and the event store.
import { Effect, Layer, ManagedRuntime } from "effect"
import { EventStore } from "../../src/commands/index.ts"
import { type AppSettings, Settings } from "../../src/platform/config.ts"
import { Nats } from "../../src/platform/nats.ts"
import { testSettings } from "./settings.ts"

export type CommandLayer = EventStore | Nats | Settings

export function commandLayer(settings: AppSettings) {
  return EventStore.layer.pipe(Layer.provideMerge(Nats.layer), Layer.provideMerge(Layer.succeed(Settings)(settings)))
}

export async function commandRuntime(settingsOrOverrides: AppSettings | Record<string, string> = {}) {
  const settings = "namespace" in settingsOrOverrides && "natsUrl" in settingsOrOverrides
    ? settingsOrOverrides as AppSettings
    : await testSettings(settingsOrOverrides as Record<string, string>)
  const runtime = ManagedRuntime.make(commandLayer(settings))
  const run = <A, E>(effect: Effect.Effect<A, E, CommandLayer>) => runtime.runPromise(effect)
  /** Runs and returns success or the typed failure, for asserting refusals. */
  const attempt = <A, E>(effect: Effect.Effect<A, E, CommandLayer>) => runtime.runPromise(Effect.result(effect))
  const store = await run(EventStore)
  return { settings, runtime, run, attempt, store, dispose: () => runtime.dispose() }
}
