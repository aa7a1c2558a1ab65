// The registry of bench scenarios: one line per module, whose default export is a `BenchScenario` (or a list),
// built with `defineScenario` from ../scenario.ts. Helpers: ../support/measure.ts (closedLoop),
// ../support/httpLoad.ts (the HTTP load generator the ceiling uses too, so ratios compare like with like).
import type { BenchScenario } from "../scenario.ts"

type ScenarioModule = { readonly default: BenchScenario | ReadonlyArray<BenchScenario> }

const modules: ReadonlyArray<() => Promise<ScenarioModule>> = [
  () => import("./liveDelivery.ts"),
  () => import("./projectionRebuild.ts"),
  () => import("./recordPayment.ts"),
]

export async function loadScenarios(): Promise<ReadonlyArray<BenchScenario>> {
  return (await Promise.all(modules.map((load) => load()))).flatMap((m) => [m.default].flat())
}
