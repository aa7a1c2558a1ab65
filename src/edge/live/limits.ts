// How much one edge lets each /ws client hold: time to authenticate, connections and subscriptions, and the
// bounded socket buffer past which a slow client is cut off.
export interface LiveLimits {
  /** Time allowed for the first (auth) frame. */
  readonly authTimeoutMs: number
  /** Server pings this often; a client that hasn't answered the previous ping by the next one is dropped. */
  readonly pingIntervalMs: number
  /** Open connections one user may hold on this edge. */
  readonly maxConnectionsPerUser: number
  readonly maxSubscriptionsPerConnection: number
  /** Bytes waiting in a client's socket buffer before it is cut off as a slow consumer (4408). */
  readonly maxQueuedBytes: number
  /** Frames handed to a client's socket and not yet flushed, before it is cut off (4408). */
  readonly maxQueuedMessages: number
  /** Largest frame a client may send. */
  readonly maxPayloadBytes: number
  /** After a close frame, how long a peer has to read it before the socket is destroyed. */
  readonly closeGraceMs: number
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  authTimeoutMs: 5_000,
  pingIntervalMs: 25_000,
  maxConnectionsPerUser: 10,
  maxSubscriptionsPerConnection: 50,
  maxQueuedBytes: 1024 * 1024,
  maxQueuedMessages: 2_000,
  maxPayloadBytes: 16 * 1024,
  closeGraceMs: 5_000,
}
