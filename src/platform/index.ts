// The platform's public surface: settings, naming, ids, logger, metrics, NATS and the ops server. Other rooms
// import from here only.
export * from "./buckets.ts"
export * from "./config.ts"
export * from "./failures.ts"
export * from "./ids.ts"
export * from "./logger.ts"
export * from "./metrics.ts"
export * from "./naming.ts"
export * from "./nats.ts"
export * from "./opsServer.ts"
export * from "./readiness.ts"
export * from "./secretStrength.ts"
export * from "./streamConfig.ts"
