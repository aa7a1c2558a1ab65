// The live feed's public surface: the /ws plugin, its limits and close codes, and the shape of a verified token.
export { livePlugin, type LiveOptions } from "./plugin.ts"
export { DEFAULT_LIVE_LIMITS, type LiveLimits } from "./hub.ts"
export type { VerifiedToken } from "./connection.ts"
export { CLOSE, type ErrorCode } from "./protocol.ts"
