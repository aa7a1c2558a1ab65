// Reads a V8 .cpuprofile into self time per function and per area (a package, node's internals, our rooms).

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}
interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly startTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** Monotonic µs, the profile's clock (V8 and process.hrtime both read CLOCK_MONOTONIC on Linux). */
export interface Window {
  readonly fromUs: number
  readonly toUs: number
}

export interface SelfTime {
  readonly name: string
  readonly ms: number
  /** Share of the busy time (everything but idle). */
  readonly percent: number
}

const ROOT = process.cwd()

/** Which file a profile frame is in, and its area: a package, node's internals, or one of our rooms. */
export function where(url: string): { file: string; area: string } {
  if (url === "") return { file: "", area: "(V8 / native)" }
  const path = decodeURIComponent(url.replace(/^file:\/\//, ""))
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path)
  if (pkg) return { file: `${pkg[1]}/${pkg[2]}`, area: pkg[1]! }
  if (path.startsWith("node:")) return { file: path, area: "node internals" }
  const local = path.startsWith(ROOT) ? path.slice(ROOT.length + 1) : path
  const room = /^(src\/[^/]+(?:\/[^/.]+)?)\//.exec(local)
  return { file: local, area: room ? room[1]! : local }
}

/** Self time of the samples inside `window` (the whole profile without one). */
export function selfTimes(profile: CpuProfile, window?: Window) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const perNode = new Map<number, number>()
  let at = profile.startTime
  let inWindow = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (window && (at < window.fromUs || at > window.toUs)) continue
    inWindow++
    const id = profile.samples[i]!
    perNode.set(id, (perNode.get(id) ?? 0) + delta / 1000)
  }
  const functions = new Map<string, number>()
  const areas = new Map<string, number>()
  let idle = 0
  let busy = 0
  for (const [id, ms] of perNode) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    if (functionName === "(idle)") {
      idle += ms
      continue
    }
    busy += ms
    const { file, area } = where(url)
    const name = file === "" ? functionName : `${functionName || "(anonymous)"}  ${file}:${lineNumber + 1}`
    functions.set(name, (functions.get(name) ?? 0) + ms)
    const areaName = functionName === "(garbage collector)" ? "(garbage collector)" : area
    areas.set(areaName, (areas.get(areaName) ?? 0) + ms)
  }
  const top = (map: Map<string, number>, n: number): ReadonlyArray<SelfTime> => [...map.entries()]
    .sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Number(((ms / busy) * 100).toFixed(1)) }))
  return { samples: inWindow, busyMs: Math.round(busy), idleMs: Math.round(idle), functions: top(functions, 25), areas: top(areas, 15) }
}
