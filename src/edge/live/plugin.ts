// GET /ws as one encapsulated Fastify plugin. It needs only the event store (replays, the live feeds), the process's
// kiosk states if it has them (else it keeps its own) and a way to verify an access token, so it does not care how
// the edge issues tokens.
import fastifyWebsocket from "@fastify/websocket"
import type { FastifyBaseLogger, FastifyInstance } from "fastify"
import { type EventStoreShape, type KioskStatesShape, LiveKioskStates } from "../../commands/index.ts"
import type { VerifiedToken } from "./session.ts"
import { Hub } from "./hub.ts"
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from "./limits.ts"
import type { RevocationSource } from "./rights.ts"

export interface LiveOptions {
  readonly store: EventStoreShape
  /**
   * Checks a user's access token (signature, expiry, session not revoked) and says who it is.
   * Must throw for anything else, device tokens included.
   */
  readonly verifyAccessToken: (token: string) => Promise<VerifiedToken>
  readonly logger?: FastifyBaseLogger
  readonly limits?: Partial<LiveLimits>
  /** Session revocations (logout…) that end live sessions at once; USERS changes are followed in any case. */
  readonly revocations?: RevocationSource
  /** The process's kiosk states (the edge's own); absent, the plugin keeps its own over the store. */
  readonly kioskStates?: KioskStatesShape | undefined
}

export async function livePlugin(app: FastifyInstance, options: LiveOptions): Promise<void> {
  const limits: LiveLimits = { ...DEFAULT_LIVE_LIMITS, ...options.limits }
  const log = options.logger ?? app.log.child({ room: "live" })
  let kioskStates = options.kioskStates
  if (kioskStates === undefined) {
    const own = new LiveKioskStates({ store: options.store, log })
    own.start()
    app.addHook("onClose", async () => own.stop())
    kioskStates = own
  }
  const hub = new Hub({ store: options.store, kioskStates, verifyAccessToken: options.verifyAccessToken, log, limits, revocations: options.revocations })
  // Going away is said with 1001, so clients reconnect (to another edge) and resume from their last seq.
  const goingAway = async () => hub.close()
  if (app.hasDecorator("websocketServer")) app.addHook("preClose", goingAway)
  else {
    await app.register(fastifyWebsocket, {
      options: { maxPayload: limits.maxPayloadBytes },
      preClose: goingAway,
      // A peer that vanished mid-write (ECONNRESET…) is routine for a socket, not an error of the edge.
      errorHandler: (error, socket) => {
        log.debug({ err: error }, "live socket error")
        socket.terminate()
      },
    })
  }
  app.addHook("onClose", goingAway)

  // Public at the HTTP level: the token comes in the first frame, never in the URL (where logs would keep it).
  app.get("/ws", { websocket: true, config: { access: "public" } }, (socket) => hub.accept(socket))
}
