// /ws wired into the edge app: the event store comes from the edge's runtime (`app.run`), and an access token is
// accepted on the same terms as on HTTP: the edge's JWT (HS256, not expired, an access token) whose session has
// not been ended or superseded (the session store's check). Device tokens are not JWTs and fail here. The session
// store's revocations end open sockets at once (rights.ts).
import type { FastifyInstance } from "fastify"
import { EventStore, type KioskStatesShape, Unauthorized } from "../../commands/index.ts"
import type { AccessClaims } from "../auth/authenticate.ts"
import type { VerifiedToken } from "./session.ts"
import type { LiveLimits } from "./limits.ts"
import { livePlugin } from "./plugin.ts"

export async function edgeLivePlugin(app: FastifyInstance, options: {
  readonly limits?: Partial<LiveLimits>
  /** The edge's kiosk states, so that the process reads KIOSKS once (commands/kiosk/kioskStates.ts). */
  readonly kioskStates?: KioskStatesShape | undefined
} = {}): Promise<void> {
  const store = await app.run(EventStore)
  const verifyAccessToken = async (token: string): Promise<VerifiedToken> => {
    const claims = app.jwt.verify<Partial<AccessClaims> & { exp?: number }>(token)
    if (claims.typ !== "access" || typeof claims.sub !== "string" || typeof claims.role !== "string" || typeof claims.exp !== "number") {
      throw new Unauthorized({ message: "not an access token" })
    }
    await app.sessions.assertCurrent(claims as AccessClaims)
    return { userId: claims.sub, role: claims.role, exp: claims.exp, sessionId: claims.sid, epoch: claims.ep }
  }
  await livePlugin(app, {
    store, verifyAccessToken, limits: options.limits ?? {}, kioskStates: options.kioskStates,
    revocations: (listener, signal) => app.sessions.watchRevocations(listener, signal),
  })
}
