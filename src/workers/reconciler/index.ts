// The reconciler's public surface.
export { type RunningReconciler, startReconciler } from "./reconciler.ts"
