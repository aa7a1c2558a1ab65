// The sealer's public surface.
export { type RunningSealer, type SealerOptions, startSealer } from "./sealer.ts"
