// The registry of bench scenarios, in the order they run: one line per module, whose default export is a
// `BenchScenario` (or a list), built with `defineScenario` from ../scenario.ts. Later scenarios may read earlier
// rows (ctx.earlier): (e) compares itself with (a), (f) paces its payments at half of (a)'s rate.
import type { BenchScenario } from "../scenario.ts"

type ScenarioModule = { readonly default: BenchScenario | ReadonlyArray<BenchScenario> }

const modules: ReadonlyArray<() => Promise<ScenarioModule>> = [
  () => import("./ingest.ts"),
  () => import("./logins.ts"),
  () => import("./readModelLatency.ts"),
  () => import("./liveDelivery.ts"),
  () => import("./projectionRebuild.ts"),
]

export async function loadScenarios(): Promise<ReadonlyArray<BenchScenario>> {
  return (await Promise.all(modules.map((load) => load()))).flatMap((m) => [m.default].flat())
}
