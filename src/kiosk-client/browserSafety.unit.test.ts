// The browser entry must not reach Node: every module it imports, transitively, is free of `node:` imports.
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

function importsOf(file: string): ReadonlyArray<string> {
  const source = readFileSync(file, "utf8")
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms)].map((m) => m[1]!)
}

function reachable(entry: string): Map<string, ReadonlyArray<string>> {
  const seen = new Map<string, ReadonlyArray<string>>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    const specifiers = importsOf(file)
    seen.set(file, specifiers)
    for (const s of specifiers) if (s.startsWith(".")) visit(resolve(dirname(file), s))
  }
  visit(entry)
  return seen
}

describe("the kiosk client's browser entry", () => {
  it("imports nothing from Node, directly or through another module", () => {
    const graph = reachable(fileURLToPath(new URL("./browser.ts", import.meta.url)))
    expect([...graph.keys()].map((f) => f.split("/src/")[1])).toContain("kiosk-client/indexedDbJournal.ts")
    const offending = [...graph].flatMap(([file, specs]) => specs.filter((s) => !s.startsWith(".")).map((s) => `${file}: ${s}`))
    expect(offending).toEqual([])
  })

  it("the check would catch one (the Node entry does import Node)", () => {
    const graph = reachable(fileURLToPath(new URL("./node.ts", import.meta.url)))
    expect([...graph.values()].flat().some((s) => s.startsWith("node:"))).toBe(true)
  })
})
