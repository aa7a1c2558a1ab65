// The kiosk app: a second Vite entry beside the console (../vite.config.ts), served by the edge under /kiosk/.
// Two inputs: the page, and the service worker, emitted as /kiosk/sw.js (not hashed: its URL is its identity)
// with this build's file list filled in by the kiosk-shell plugin.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import tailwindcss from "@tailwindcss/vite"
import { defineConfig } from "vite"
import solid from "vite-plugin-solid"
import { kioskShell, SERVICE_WORKER_CHUNK } from "./build/shell.ts"

const root = import.meta.dirname
const edge = process.env.EDGE_URL ?? "http://127.0.0.1:8080"
const version = (JSON.parse(readFileSync(resolve(root, "../../package.json"), "utf8")) as { version: string }).version
// The kiosk app calls the kiosk API only: its payments, heartbeats and label.
const proxy = Object.fromEntries(["/kiosks", "/payments"].map((prefix) => [prefix, { target: edge, changeOrigin: true }]))

export default defineConfig(({ command }) => ({
  root,
  base: "/kiosk/",
  plugins: [solid(), tailwindcss(), kioskShell()],
  // The offline shell exists only in a build (the dev server's modules change with every edit). Not PROD: a build
  // made under NODE_ENV=test (the e2e tests) is still a build.
  define: { __KIOSK_APP_VERSION__: JSON.stringify(version), __KIOSK_OFFLINE_SHELL__: JSON.stringify(command === "build") },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rolldownOptions: {
      input: { index: resolve(root, "index.html"), [SERVICE_WORKER_CHUNK]: resolve(root, "src/offline/serviceWorker.ts") },
      output: { entryFileNames: (chunk) => (chunk.name === SERVICE_WORKER_CHUNK ? "sw.js" : "assets/[name]-[hash].js") },
    },
  },
  server: { proxy },
  preview: { proxy },
}))
