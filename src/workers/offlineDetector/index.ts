// The offline detector's public surface.
export { type DetectorOptions, type RunningDetector, startOfflineDetector } from "./detector.ts"
