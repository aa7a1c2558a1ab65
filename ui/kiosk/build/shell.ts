// Vite plugin for the kiosk app's offline shell: writes the PNG icons, and fills the service worker's list of
// files to precache (every file of this build) and a version derived from it, so that each build's sw.js differs
// byte for byte and the browser installs the new one.
import { createHash } from "node:crypto"
import { readdirSync } from "node:fs"
import type { Plugin } from "vite"
import { iconPng } from "./icons.ts"

export const SHELL_PLACEHOLDER = "__KIOSK_SHELL__"
export const SERVICE_WORKER_CHUNK = "sw"

export function kioskShell(): Plugin {
  let publicFiles: ReadonlyArray<string> = []
  return {
    name: "kiosk-shell",
    apply: "build",
    configResolved(config) {
      // Files copied as they are (the manifest, the SVG icon) are not in the bundle, but belong to the shell.
      publicFiles = config.publicDir ? readdirSync(config.publicDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `${entry.parentPath.slice(config.publicDir.length + 1)}/${entry.name}`.replace(/^\//, "")) : []
    },
    generateBundle(_options, bundle) {
      this.emitFile({ type: "asset", fileName: "icon-192.png", source: iconPng(192, false) })
      this.emitFile({ type: "asset", fileName: "icon-512.png", source: iconPng(512, true) })
      const worker = Object.values(bundle).find((f) => f.type === "chunk" && f.name === SERVICE_WORKER_CHUNK)
      if (worker === undefined || worker.type !== "chunk") throw new Error("kiosk-shell: the service worker chunk is missing")
      const files = [...Object.keys(bundle), ...publicFiles, "icon-192.png", "icon-512.png"]
        .filter((name) => name !== worker.fileName && !name.endsWith(".map"))
        .sort()
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 16)
      if (!worker.code.includes(SHELL_PLACEHOLDER)) throw new Error(`kiosk-shell: ${SHELL_PLACEHOLDER} not found in the service worker`)
      worker.code = worker.code.replace(SHELL_PLACEHOLDER, JSON.stringify({ version, files }))
    },
  }
}
