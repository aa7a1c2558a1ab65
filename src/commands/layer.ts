// The write side as one layer: settings, the NATS connection, the event store and the password-hashing threads'
// lifetime. Every process that runs commands (the edge, workers, CLI tasks) builds it from its settings.
import { Layer } from "effect"
import { type AppSettings, Nats, Settings } from "../platform/index.ts"
import { EventStore } from "./eventStore/index.ts"
import { passwordHashingLayer } from "./user/password.ts"

export type WriteSide = EventStore | Nats | Settings

export const writeSideLayer = (settings: AppSettings, role = "app") =>
  Layer.merge(EventStore.layer, passwordHashingLayer).pipe(Layer.provideMerge(Nats.layerWithRole(role)), Layer.provideMerge(Layer.succeed(Settings)(settings)))
