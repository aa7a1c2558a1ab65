// Reads a V8 sampling heap profile (bench/profile/heapProbe.ts) into bytes allocated per function and per area.
import { where } from "./cpuProfile.ts"

interface HeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<HeapNode>
}
export interface HeapProfile {
  readonly head: HeapNode
}

export interface Allocated {
  readonly name: string
  readonly bytes: number
  /** Share of all bytes allocated in the window. */
  readonly percent: number
}

/** Bytes allocated by the functions themselves (not their callees), summed over every stack they appear in. */
export function allocations(profile: HeapProfile) {
  const functions = new Map<string, number>()
  const areas = new Map<string, number>()
  let total = 0
  const visit = (node: HeapNode) => {
    if (node.selfSize > 0) {
      const { functionName, url, lineNumber } = node.callFrame
      const { file, area } = where(url)
      const name = file === "" ? functionName || "(V8 / native)" : `${functionName || "(anonymous)"}  ${file}:${lineNumber + 1}`
      functions.set(name, (functions.get(name) ?? 0) + node.selfSize)
      areas.set(area, (areas.get(area) ?? 0) + node.selfSize)
      total += node.selfSize
    }
    for (const child of node.children) visit(child)
  }
  visit(profile.head)
  const top = (map: Map<string, number>, n: number): ReadonlyArray<Allocated> => [...map.entries()]
    .sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, bytes]) => ({ name, bytes, percent: Number(((bytes / Math.max(1, total)) * 100).toFixed(1)) }))
  return { bytes: total, functions: top(functions, 25), areas: top(areas, 15) }
}
