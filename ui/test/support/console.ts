// Builds the console (and the kiosk app) and serves the built files with Vite's preview server (the same proxy as in development).
import { resolve } from "node:path"
import { build, preview, type PreviewServer } from "vite"

const root = resolve(import.meta.dirname, "../..")

/** Builds the console into ui/dist, where the edge serves it from under /console/ (src/edge/http/console.ts). */
export async function buildConsole(): Promise<void> {
  await build({ root, configFile: resolve(root, "vite.config.ts"), logLevel: "warn" })
}

/** Builds the kiosk app into ui/kiosk/dist, where the edge serves it from under /kiosk/ (src/edge/http/kioskApp.ts). */
export async function buildKioskApp(): Promise<void> {
  const kiosk = resolve(root, "kiosk")
  await build({ root: kiosk, configFile: resolve(kiosk, "vite.config.ts"), logLevel: "warn" })
}

/** `edgeUrl`: where /auth, /kiosks, /ws… are proxied to (the real edge, once a test starts one). */
export async function serveBuiltConsole(edgeUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const previous = process.env.EDGE_URL
  process.env.EDGE_URL = edgeUrl // read by vite.config.ts while loading
  const configFile = resolve(root, "vite.config.ts")
  let server: PreviewServer
  try {
    await build({ root, configFile, logLevel: "warn" })
    // Quiet: a test without an edge makes the proxy log every refused connection.
    server = await preview({ root, configFile, logLevel: "silent", preview: { host: "127.0.0.1", port: 0, strictPort: false } })
  } finally {
    if (previous === undefined) delete process.env.EDGE_URL
    else process.env.EDGE_URL = previous
  }
  const local = server.resolvedUrls?.local[0]
  if (!local) throw new Error("preview server has no local URL")
  // The origin: pages are under /console/, the API at the root.
  return { url: new URL(local).origin, close: () => server.close() }
}
