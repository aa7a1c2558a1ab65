// The process's one NATS connection, with its JetStream client and manager, as an Effect service.
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream"
import { Kvm } from "@nats-io/kv"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Context, Effect, Layer, Schema } from "effect"
import { type AppSettings, Settings } from "./config.ts"
import { redactUrl } from "./failures.ts"

export interface NatsClients {
  readonly nc: NatsConnection
  readonly js: JetStreamClient
  readonly jsm: JetStreamManager
  readonly kvm: Kvm
}

export class NatsUnavailable extends Schema.TaggedError<NatsUnavailable>()("NatsUnavailable", {
  message: Schema.String,
  cause: Schema.Defect(),
}) {}

/**
 * Connects and opens the JetStream clients; for scripts and tests that don't build layers.
 * The connection name carries the namespace (and role) so `nats server report connections` shows who is who.
 */
export async function connectNats(settings: Pick<AppSettings, "natsUrl" | "namespace">, role = "app"): Promise<NatsClients> {
  const nc = await connect({
    servers: settings.natsUrl.split(",").map((s) => s.trim()),
    name: `admin-kiosk:${settings.namespace}:${role}`,
    // Keep trying through a server restart instead of failing the process.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    // Otherwise every request builds two Errors (with stack traces) up front in case it fails: a sixth of the edge's
    // CPU under payment load. A failed request still says what failed; it only lacks the caller's stack.
    noAsyncTraces: true,
  }).catch((cause: unknown) => {
    throw new NatsUnavailable({ message: `cannot reach NATS at ${redactUrl(settings.natsUrl)}`, cause })
  })
  try {
    const js = jetstream(nc)
    const jsm = await jetstreamManager(nc).catch((cause: unknown) => {
      throw new NatsUnavailable({ message: `NATS at ${redactUrl(settings.natsUrl)} has no JetStream (start nats-server with -js)`, cause })
    })
    return { nc, js, jsm, kvm: new Kvm(js) }
  } catch (error) {
    await nc.close()
    throw error
  }
}

/**
 * Whether the connection is up right now, from the client's own status events: while nats.js reconnects, a request
 * would only wait for its timeout, so a caller can refuse at once instead.
 */
export function followConnection(nc: NatsConnection): { readonly up: () => boolean } {
  let up = !nc.isClosed()
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect" || status.type === "close") up = false
      else if (status.type === "reconnect") up = true
    }
  })()
  return { up: () => up && !nc.isClosed() }
}

/** Drains (in-flight requests and subscriptions finish) rather than closing, so that shutdown loses nothing. */
export async function closeNats({ nc }: Pick<NatsClients, "nc">): Promise<void> {
  if (nc.isClosed()) return
  if (nc.isDraining()) return void (await nc.closed())
  await nc.drain().catch(() => nc.close())
}

export class Nats extends Context.Service<Nats, NatsClients>()("admin-kiosk/platform/Nats") {
  /** A scoped connection: opened when the layer is built, drained when its scope closes. */
  static readonly layerWithRole = (role: string) =>
    Layer.effect(
      Nats,
      Effect.gen(function* () {
        const settings = yield* Settings
        const clients = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () => connectNats(settings, role),
            catch: (cause) => cause instanceof NatsUnavailable
              ? cause
              : new NatsUnavailable({ message: `cannot reach NATS at ${redactUrl(settings.natsUrl)}`, cause }),
          }),
          (clients) => Effect.promise(() => closeNats(clients)),
        )
        return Nats.of(clients)
      }),
    )

  static readonly layer = Nats.layerWithRole("app")

  /** Wraps clients someone else owns (a test's connection); they stay open when the layer is released. */
  static readonly layerFrom = (clients: NatsClients) => Layer.succeed(Nats)(clients)
}
