// The live feed's public surface: the /ws plugin (standalone, or wired to the edge app's store and tokens), its
// limits and close codes, and the shape of a verified token.
export { livePlugin, type LiveOptions } from "./plugin.ts"
export { edgeLivePlugin } from "./edgePlugin.ts"
export { DEFAULT_LIVE_LIMITS, type LiveLimits } from "./limits.ts"
export type { VerifiedToken } from "./session.ts"
export { CLOSE, type ErrorCode } from "./protocol.ts"
